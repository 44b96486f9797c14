import type { RequestSigner } from "./signer";

/** Refresh a token this long before it expires (google-auth-library's own eager threshold). */
const REFRESH_BEFORE_MS = 5 * 60 * 1000;

interface IdTokenClientLike {
  getRequestHeaders(url?: string): Promise<{ get(name: string): string | null }>;
}

/**
 * `Authorization: Bearer <ID token>` for Cloud Run / Cloud Functions, from google-auth-library's
 * application-default credentials (a service-account key, or the metadata server on Google Cloud).
 * The audience is the URL's origin. The token is cached until 5 minutes before its `exp`, and
 * concurrent first requests share one fetch. google-auth-library is required on first use only.
 */
export function googleIdTokenSigner(audience: string): RequestSigner {
  let client: Promise<IdTokenClientLike> | null = null;
  let cached: { value: string; refreshAt: number } | null = null;
  let refreshing: Promise<string> | null = null;

  const fetchToken = async (): Promise<string> => {
    // A client that failed (no credentials yet) is not kept: after `gcloud auth application-default
    // login` the next call tries again.
    const pending = (client ??= loadClient(audience).catch((e: unknown) => {
      client = null;
      throw e;
    }));
    const headers = await (await pending).getRequestHeaders();
    const value = headers.get("authorization");
    if (!value) throw new Error("google-auth-library gave no ID token");
    cached = { value, refreshAt: expiryMs(value) - REFRESH_BEFORE_MS };
    return value;
  };

  return async (request) => {
    if (!cached || Date.now() >= cached.refreshAt) {
      refreshing ??= fetchToken().finally(() => (refreshing = null));
      await refreshing;
    }
    return { ...request.headers, authorization: cached!.value };
  };
}

async function loadClient(audience: string): Promise<IdTokenClientLike> {
  const { GoogleAuth } = require("google-auth-library") as typeof import("google-auth-library");
  return (await new GoogleAuth().getIdTokenClient(audience)) as unknown as IdTokenClientLike;
}

/** The JWT's `exp` (epoch ms); a token without one is refreshed on the next request. */
function expiryMs(authorization: string): number {
  try {
    const payload = authorization.replace(/^Bearer\s+/i, "").split(".")[1];
    const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}
