import type { v2 } from "@google-cloud/functions";
import type { GoogleAuth } from "google-auth-library";
import { FaasLabError } from "../../lib/errors";
import { credentialsError } from "./errors";

export type FunctionServiceClient = v2.FunctionServiceClient;

/** What the adapter needs to sign invoke requests: an ID token for an audience (the function's URL). */
export interface IdTokenSource {
  /** The `Authorization` header value for `audience`, or null when requests go without one. */
  authorization(audience: string): Promise<string | null>;
}

/** The control-plane client and the credentials of one endpoint (null: Google itself). */
export interface GoogleClients {
  functions: FunctionServiceClient;
  /** null when an emulator endpoint is used without credentials: nothing is signed. */
  auth: GoogleAuth | null;
  tokens: IdTokenSource;
}

/** How the adapter builds its clients (tests and notebooks may pass their own GoogleAuth). */
export interface ClientOptions {
  /** Credentials to use instead of Application Default Credentials. */
  auth?: GoogleAuth;
  /** ID tokens for invoke instead of the credentials' own (e.g. a test minting tokens for an emulator). */
  idTokens?: IdTokenSource;
}

/**
 * Loads the two Google packages on first use, not when the platform module is loaded: a user
 * without them still uses local, and `faaslab --help` stays fast (google-gax is large).
 */
function loadSdk(): {
  functions: typeof import("@google-cloud/functions");
  auth: typeof import("google-auth-library");
} {
  const load = <T>(name: string): T => {
    try {
      return require(name) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code !== "MODULE_NOT_FOUND" || !String(e).includes(name)) throw e;
      throw new FaasLabError(`the ${name} package is not installed`, {
        code: "PLATFORM_UNAVAILABLE",
        phase: "config",
        platform: "google",
        cause: e,
        hint: `npm install ${name} next to the notebook (or in the faaslab package)`,
      });
    }
  };
  return {
    functions: load<typeof import("@google-cloud/functions")>("@google-cloud/functions"),
    auth: load<typeof import("google-auth-library")>("google-auth-library"),
  };
}

/**
 * An emulator gets credentials only when GOOGLE_APPLICATION_CREDENTIALS names a key file: a local
 * fake then needs no account, and nothing probes the metadata server.
 */
function emulatorHasCredentials(): boolean {
  return Boolean(process.env.GOOGLE_APPLICATION_CREDENTIALS);
}

/** One set of clients per endpoint for the life of the process (the client keeps its sockets). */
export class ClientPool {
  private readonly pools = new Map<string, Promise<GoogleClients>>();

  constructor(private readonly options: ClientOptions = {}) {}

  get(endpoint: string | null): Promise<GoogleClients> {
    const key = endpoint ?? "(google)";
    let clients = this.pools.get(key);
    if (!clients) {
      clients = this.create(endpoint);
      this.pools.set(key, clients);
      // Not cached on failure: the user may log in (ADC) and try again.
      clients.catch(() => this.pools.delete(key));
    }
    return clients;
  }

  async destroy(): Promise<void> {
    const all = await Promise.allSettled([...this.pools.values()]);
    this.pools.clear();
    for (const c of all) if (c.status === "fulfilled") await c.value.functions.close().catch(() => undefined);
  }

  private async create(endpoint: string | null): Promise<GoogleClients> {
    const sdk = loadSdk();
    const signed = !endpoint || emulatorHasCredentials() || this.options.auth !== undefined;
    const auth = signed ? (this.options.auth ?? new sdk.auth.GoogleAuth()) : null;
    // Credentials first: the client's constructor starts a stub that would reject unobserved without them.
    if (auth) {
      try {
        await auth.getClient();
      } catch (e) {
        throw credentialsError(e, "config") ?? e;
      }
    }
    const clientAuth = auth ?? new sdk.auth.GoogleAuth({ authClient: new sdk.auth.PassThroughClient() });
    let functions: FunctionServiceClient;
    if (endpoint) {
      const url = new URL(endpoint);
      const protocol = url.protocol.replace(":", "");
      functions = new sdk.functions.v2.FunctionServiceClient({
        fallback: true,
        apiEndpoint: url.hostname,
        port: Number(url.port) || (protocol === "https" ? 443 : 80),
        protocol,
        auth: clientAuth,
      });
    } else {
      // REST too: one HTTP/1.1 stack for control and invoke, and no gRPC native dependency to load.
      functions = new sdk.functions.v2.FunctionServiceClient({ fallback: true, auth: clientAuth });
    }
    return { functions, auth, tokens: this.options.idTokens ?? idTokens(auth) };
  }
}

/** ID tokens per audience; the IdTokenClient caches its token until it nears expiry. */
function idTokens(auth: GoogleAuth | null): IdTokenSource {
  const clients = new Map<string, ReturnType<GoogleAuth["getIdTokenClient"]>>();
  return {
    async authorization(audience) {
      if (!auth) return null;
      let client = clients.get(audience);
      if (!client) {
        client = auth.getIdTokenClient(audience);
        clients.set(audience, client);
        client.catch(() => clients.delete(audience));
      }
      const headers = await (await client).getRequestHeaders();
      return headers.get("authorization");
    },
  };
}
