import { FaasLabError } from "../../lib/errors";

/** Methods whose payload travels in the query string instead of a body. */
const QUERY_METHODS = new Set(["GET", "DELETE"]);

export function sendsQuery(method: string): boolean {
  return QUERY_METHODS.has(method);
}

/** The payload as a JSON body (null and undefined send `null`). */
export function jsonBody(payload: unknown): Buffer {
  return Buffer.from(JSON.stringify(payload ?? null));
}

/**
 * The URL with the payload as its query: `{ k: "v", n: 2 }` → `?k=v&n=2` (after the URL's own
 * parameters); objects and arrays as JSON text. null/undefined add nothing; any other payload cannot
 * be a query and is refused before sending.
 */
export function withQuery(url: URL, payload: unknown): URL {
  if (payload === null || payload === undefined) return url;
  if (typeof payload !== "object" || Array.isArray(payload)) {
    throw new FaasLabError(
      `a ${typeof payload === "object" ? "list" : typeof payload} payload cannot be sent as a query string`,
      {
        code: "INVALID_PAYLOAD",
        phase: "invoke",
        platform: "http",
        hint: 'send an object like { k: "v" } (→ ?k=v), or use method "POST" for a JSON body',
      },
    );
  }
  const out = new URL(url);
  for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
    if (value === undefined) continue;
    out.searchParams.append(
      key,
      typeof value === "object" && value !== null ? JSON.stringify(value) : String(value),
    );
  }
  return out;
}
