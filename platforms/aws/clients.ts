import { LambdaClient, type LambdaClientConfig } from "@aws-sdk/client-lambda";
import * as http from "node:http";
import * as https from "node:https";
import { regionMissing } from "./errors";

/**
 * The two clients of one region/endpoint. They share one request handler and so one keep-alive socket
 * pool: `control` keeps the SDK's own retries (deploy, waiters, delete); `invoke` makes exactly one
 * attempt per send, so that the adapter retries throttling itself and counts every attempt.
 */
export interface LambdaClients {
  control: LambdaClient;
  invoke: LambdaClient;
  /** The region the clients talk to (resolved from the SDK's chain when none was configured). */
  region: string;
}

/** How the adapter builds its clients; everything else comes from the SDK's standard chain. */
export interface ClientOptions {
  /** Static credentials or a provider; default: the SDK's chain (env, profile, SSO, IMDS, …). */
  credentials?: LambdaClientConfig["credentials"];
  /** Any other LambdaClient settings (logger, custom user agent, …); region/endpoint come from the config. */
  clientConfig?: Omit<LambdaClientConfig, "region" | "endpoint" | "credentials" | "requestHandler">;
}

/**
 * One pair of clients per region/endpoint, created on first use and reused for the life of the
 * process: round trips then measure the function, not a TLS handshake per call.
 */
export class ClientPool {
  private readonly pools = new Map<string, Promise<LambdaClients>>();
  private readonly agents: http.Agent[] = [];
  private readonly created: LambdaClient[] = [];

  constructor(private readonly options: ClientOptions = {}) {}

  /** `region` null: the SDK's chain (AWS_REGION, the profile). `endpoint` null: AWS itself. */
  get(region: string | null, endpoint: string | null): Promise<LambdaClients> {
    const key = poolKey(region, endpoint);
    let entry = this.pools.get(key);
    if (!entry) {
      entry = this.create(region, endpoint);
      this.pools.set(key, entry);
      // A failure (no region) is not cached: the user may set AWS_REGION and try again.
      entry.catch(() => this.pools.delete(key));
    }
    return entry;
  }

  /** Closes every socket; the pool can be used again afterwards (it makes new clients). */
  destroy(): void {
    this.pools.clear();
    for (const client of this.created.splice(0)) client.destroy();
    for (const agent of this.agents.splice(0)) agent.destroy();
  }

  private async create(region: string | null, endpoint: string | null): Promise<LambdaClients> {
    // Keep-alive, no socket cap: an experiment's concurrency is bounded by its threads, and a
    // synchronous invoke holds its socket for the whole run of the function.
    const httpAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
    const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: Infinity });
    this.agents.push(httpAgent, httpsAgent);
    const base: LambdaClientConfig = {
      ...this.options.clientConfig,
      region: region ?? undefined,
      endpoint: endpoint ?? undefined,
      credentials: this.options.credentials,
      requestHandler: { httpAgent, httpsAgent, connectionTimeout: 10_000 },
    };
    const control = new LambdaClient(base);
    const invoke = new LambdaClient({
      ...base,
      requestHandler: control.config.requestHandler,
      maxAttempts: 1,
    });
    this.created.push(control, invoke);
    let resolved: string;
    try {
      resolved = region ?? (await control.config.region());
    } catch (e) {
      throw regionMissing(e);
    }
    const clients = { control, invoke, region: resolved };
    // The same clients serve calls that name the resolved region explicitly (a deployment's ref).
    const explicit = poolKey(resolved, endpoint);
    if (!this.pools.has(explicit)) this.pools.set(explicit, Promise.resolve(clients));
    return clients;
  }
}

function poolKey(region: string | null, endpoint: string | null): string {
  return `${region ?? "(sdk chain)"} ${endpoint ?? "(aws)"}`;
}
