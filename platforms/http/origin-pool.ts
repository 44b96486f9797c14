import { STATUS_CODES, type IncomingHttpHeaders } from "node:http";
import type { Dispatcher, Pool } from "undici";
import type { AttemptOutcome } from "./outcome";

/** One request as the pool sends it. */
export interface PoolRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

type ErrorOutcome = Extract<AttemptOutcome, { kind: "error" }>;

/** Why this client stopped waiting (an abort reason of its own, told apart from anything undici throws). */
class GaveUp extends Error {
  constructor(
    readonly errorType: "TimeoutError" | "Aborted",
    message: string,
  ) {
    super(message);
  }
}

/**
 * The keep-alive connections to one function's origin: an undici Pool with as many connections as
 * there are requests in flight (one request per connection at a time, no pipelining). undici reuses
 * idle connections and unrefs them, so they do not keep the process alive. Never rejects: errors are
 * outcomes named by their kind.
 */
export class OriginPool {
  private readonly pool: Pool;

  constructor(private readonly url: URL) {
    // Loaded with the first http function, not with faaslab.
    const { Pool } = require("undici") as typeof import("undici");
    this.pool = new Pool(url.origin, { connections: null, pipelining: 1, connect: { noDelay: true } });
  }

  async send(request: PoolRequest, timeoutMs: number, signal?: AbortSignal): Promise<AttemptOutcome> {
    const stop = new AbortController();
    // One deadline for the whole answer (undici's own timers are per phase and only backstops here).
    const timer = setTimeout(
      () => stop.abort(new GaveUp("TimeoutError", `no answer from ${this.url.host} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onAbort = () => stop.abort(new GaveUp("Aborted", "the caller stopped waiting for the answer"));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    let answered = false;
    try {
      const response = await this.pool.request({
        origin: this.url.origin,
        method: request.method as Dispatcher.HttpMethod,
        path: request.path,
        headers: request.headers,
        body: request.body,
        signal: stop.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      answered = true;
      const body = Buffer.from(await response.body.arrayBuffer());
      const status = response.statusCode;
      const statusText = response.statusText || STATUS_CODES[status] || "";
      return { kind: "answer", status, statusText, headers: joined(response.headers), body };
    } catch (e) {
      return errorOutcome(stop.signal.reason ?? e, answered);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Closes every connection, idle or busy (requests in flight fail). */
  destroy(): void {
    this.pool.destroy().catch(() => undefined);
  }
}

/** undici gives a repeated header as an array; the rows read one value, joined by ", " (RFC 9110 §5.3). */
function joined(headers: Record<string, string | string[] | undefined>): IncomingHttpHeaders {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

type UndiciError = Error & {
  code?: string;
  cause?: { code?: string };
  socket?: { bytesRead?: number };
};

/** undici's error codes → the kinds faaslab rows name (the same on every platform). */
const KIND: Record<string, { errorType: string; timedOut: boolean }> = {
  UND_ERR_CONNECT_TIMEOUT: { errorType: "TimeoutError", timedOut: true },
  UND_ERR_HEADERS_TIMEOUT: { errorType: "TimeoutError", timedOut: true },
  UND_ERR_BODY_TIMEOUT: { errorType: "TimeoutError", timedOut: true },
  UND_ERR_SOCKET: { errorType: "ECONNRESET", timedOut: false },
  UND_ERR_CLOSED: { errorType: "ECONNRESET", timedOut: false },
  UND_ERR_DESTROYED: { errorType: "ECONNRESET", timedOut: false },
  UND_ERR_ABORTED: { errorType: "Aborted", timedOut: false },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { errorType: "InvalidResponse", timedOut: false },
  UND_ERR_INFO: { errorType: "InvalidResponse", timedOut: false },
};

function errorOutcome(error: unknown, answered: boolean): ErrorOutcome {
  if (error instanceof GaveUp) {
    const timedOut = error.errorType === "TimeoutError";
    return {
      kind: "error",
      errorType: error.errorType,
      errorMessage: error.message,
      timedOut,
      staleSocket: false,
    };
  }
  const e = error as UndiciError;
  const code = e.code ?? "";
  // A socket error with an errno (EPIPE, ECONNRESET) keeps it; llhttp's HPE_* codes mean "not HTTP".
  const errno = e.cause?.code;
  const kind = code.startsWith("HPE_")
    ? { errorType: "InvalidResponse", timedOut: false }
    : code === "UND_ERR_SOCKET" && errno
      ? { errorType: errno, timedOut: false }
      : (KIND[code] ?? { errorType: code || e.name, timedOut: false });
  // The socket had carried earlier answers and nothing of this one came: the server closed a kept-alive
  // connection as the request went out (the keep-alive race), so it never reached the function.
  const staleSocket = code === "UND_ERR_SOCKET" && !answered && (e.socket?.bytesRead ?? 0) > 0;
  return {
    kind: "error",
    errorType: kind.errorType,
    errorMessage: `${kind.errorType}: ${e.message}`,
    timedOut: kind.timedOut,
    staleSocket,
  };
}
