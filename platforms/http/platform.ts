import { performance } from "node:perf_hooks";
import { systemClock, type Clock } from "../../lib/clock";
import { failedInvocation } from "../../lib/invocation-results";
import type {
  ControlOptions,
  Deployment,
  FunctionDirs,
  InvokeOptions,
  Platform,
  PlatformConfig,
  RawInvocation,
} from "../../lib/platform";
import { sleep } from "../../lib/sleep";
import { createClient, requireUrl, type FunctionClient, type HttpRef } from "./client";
import { jsonBody, sendsQuery, withQuery } from "./payload";
import { ENVELOPE_HEADER } from "../../lib/serve/answer";
import { requestHeaders } from "./request-headers";
import { answerToRaw } from "./response";
import { THROTTLE_BACKOFF, isRetryableStatus, retryDelayMs, type Backoff } from "./retry";
import type { HttpConfig } from "./schema";

export interface HttpPlatformOptions {
  clock?: Clock;
  /** Waits between attempts on 429/503 (tests shorten them). */
  backoff?: Backoff;
}

/**
 * Any HTTP endpoint as a function. attach() only records the URL (nothing is deployed); invoke() sends
 * one request per attempt on the function's keep-alive connection pool and turns the answer into a
 * RawInvocation: the faaslab envelope when there is one, else the body with what headers and the
 * configured instance field say.
 */
export class HttpPlatform implements Platform {
  readonly name = "http" as const;
  /** One client per function name; a changed deployment replaces (and closes) the previous one. */
  private readonly clients = new Map<string, { key: string; client: FunctionClient }>();
  private readonly byDeployment = new WeakMap<Deployment, FunctionClient>();

  constructor(private readonly options: HttpPlatformOptions = {}) {}

  async attach(
    functionName: string,
    config: PlatformConfig,
    options: ControlOptions & Partial<FunctionDirs>,
  ): Promise<Deployment> {
    const url = requireUrl(config as HttpConfig);
    options.log?.(`http: ${functionName} is ${(config as HttpConfig).method} ${url.origin}${url.pathname}`);
    const ref: HttpRef = { url: url.href, dataDir: options.dataDir ?? null };
    return {
      platform: "http",
      functionName,
      hash: "external",
      config,
      ref: { ...ref },
      deployedAt: new Date((this.options.clock ?? systemClock).now()).toISOString(),
    };
  }

  async invoke(deployment: Deployment, payload: unknown, opts: InvokeOptions = {}): Promise<RawInvocation> {
    const client = this.clientFor(deployment);
    const query = sendsQuery(client.method);
    const url = query ? withQuery(client.url, payload) : client.url;
    const body = query ? null : jsonBody(payload);
    const headers: Record<string, string> = {
      accept: "application/json, */*;q=0.5",
      "user-agent": "faaslab",
      // Asks a faaslab `serve` for the whole envelope (full records); any other server ignores it.
      [ENVELOPE_HEADER]: "1",
    };
    if (body) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(body.byteLength);
    }
    const timeoutMs = Math.min(client.timeoutMs, opts.timeoutMs ?? Infinity);
    const backoff = this.options.backoff ?? THROTTLE_BACKOFF;
    const timing = { finalAttemptAt: performance.now(), retryDelayMs: 0 };
    for (let attempts = 1; ; attempts++) {
      const signed = client.signer
        ? await client.signer({ method: client.method, url, headers, body })
        : headers;
      const request = {
        method: client.method,
        path: url.pathname + url.search,
        headers: requestHeaders(signed),
        body,
      };
      // The round trip is this attempt's: signing (a token fetch) and earlier attempts are not latency.
      timing.finalAttemptAt = performance.now();
      const outcome = await client.pool.send(request, timeoutMs, opts.signal);
      const last = attempts >= client.maxAttempts || (opts.signal?.aborted ?? false);
      if (outcome.kind === "error") {
        // A kept-alive socket the server had closed: the request never reached it, resend at once.
        if (outcome.staleSocket && !last) continue;
        const { errorType, errorMessage, timedOut } = outcome;
        return { ...failedInvocation(errorType, errorMessage, { timedOut, attempts }), ...timing };
      }
      if (isRetryableStatus(outcome.status) && !last) {
        const retryAfter = outcome.headers["retry-after"];
        const delay = retryDelayMs(backoff, attempts, retryAfter, Date.now());
        const waitStart = performance.now();
        await sleep(delay, opts.signal).catch(() => undefined);
        timing.retryDelayMs += performance.now() - waitStart;
        continue;
      }
      const raw = answerToRaw(outcome, client.source);
      const coldStart = raw.envelope
        ? null
        : // A failed answer (non-2xx) is no sighting: the instance may not even have served it.
          (raw.coldStart ?? (raw.failure ? null : client.sightings.observe(raw.instanceId ?? null)));
      return { ...raw, coldStart, attempts, ...timing };
    }
  }

  async shutdown(): Promise<void> {
    for (const { client } of this.clients.values()) client.pool.destroy();
    this.clients.clear();
  }

  private clientFor(deployment: Deployment): FunctionClient {
    const known = this.byDeployment.get(deployment);
    if (known) return known;
    const key = JSON.stringify([deployment.ref, deployment.config]);
    const held = this.clients.get(deployment.functionName);
    let client = held?.key === key ? held.client : null;
    if (!client) {
      held?.client.pool.destroy();
      client = createClient(deployment);
      this.clients.set(deployment.functionName, { key, client });
    }
    this.byDeployment.set(deployment, client);
    return client;
  }
}
