import { ConfigError } from "../../lib/errors";
import type { Deployment } from "../../lib/platform";
import { signerFor, type RequestSigner } from "./auth";
import { ConnectionPool } from "./connection-pool";
import type { InstanceSource } from "./response";
import type { HttpConfig } from "./schema";
import { Sightings } from "./sightings";

/** What the http platform keeps per attached function: its URL, one keep-alive pool, its signer. */
export interface FunctionClient {
  url: URL;
  method: string;
  pool: ConnectionPool;
  signer: RequestSigner | null;
  source: InstanceSource;
  sightings: Sightings;
  timeoutMs: number;
  maxAttempts: number;
}

/** The ref an http deployment carries (in state.json: no secrets, only where things are). */
export interface HttpRef {
  url: string;
  /** Where the function's instance sightings are kept; null: in memory only. */
  dataDir: string | null;
}

export function httpRef(ref: Record<string, unknown>): HttpRef {
  return {
    url: String(ref.url),
    dataDir: typeof ref.dataDir === "string" ? ref.dataDir : null,
  };
}

export function requireUrl(config: HttpConfig): URL {
  if (typeof config.url !== "string")
    throw new ConfigError(['"url" is required: httpFunction(name, url)'], "http");
  return new URL(config.url);
}

export function createClient(deployment: Deployment): FunctionClient {
  const config = deployment.config as HttpConfig;
  const ref = httpRef(deployment.ref);
  const url = new URL(ref.url);
  // One keep-alive pool per function: connections are reused across calls.
  const pool = new ConnectionPool(url);
  return {
    url,
    method: config.method,
    pool,
    signer: signerFor(config.auth, deployment.functionName, url, config.region),
    source: { field: config.instanceIdField, header: config.instanceIdHeader },
    sightings: new Sightings(ref.dataDir),
    timeoutMs: config.timeout * 1000,
    maxAttempts: config.maxAttempts,
  };
}
