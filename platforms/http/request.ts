import * as http from "node:http";
import * as https from "node:https";

/** What one request needs; built once per call (the body and headers are the same for every attempt). */
export interface OutgoingRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  agent: http.Agent;
}

export type AttemptOutcome =
  | { kind: "answer"; status: number; statusText: string; headers: http.IncomingHttpHeaders; body: Buffer }
  | {
      kind: "error";
      errorType: string;
      errorMessage: string;
      timedOut: boolean;
      /** The request went out on a kept-alive socket the server had already closed: safe to resend. */
      staleSocket: boolean;
    };

/**
 * One attempt over node:http(s) on the function's keep-alive agent. Never rejects: a network error,
 * the timeout or the caller's abort is an outcome named by its kind (ECONNREFUSED, ECONNRESET,
 * TimeoutError, Aborted, …), without request headers (they may hold credentials).
 */
export function sendOnce(
  request: OutgoingRequest,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const transport = request.url.protocol === "https:" ? https : http;
    const req = transport.request(request.url, {
      method: request.method,
      headers: request.headers,
      agent: request.agent,
    });
    const fail = (errorType: string, errorMessage: string, timedOut = false, staleSocket = false) => {
      finish({ kind: "error", errorType, errorMessage, timedOut, staleSocket });
      req.destroy();
    };
    const timer = setTimeout(
      () => fail("TimeoutError", `no answer from ${request.url.host} within ${timeoutMs} ms`, true),
      timeoutMs,
    );
    const onAbort = () => fail("Aborted", "the caller stopped waiting for the answer");
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e: NodeJS.ErrnoException) => {
      const kind = e.code ?? e.name ?? "NetworkError";
      fail(
        kind,
        `${kind}: ${e.message} (${request.method} ${request.url.host})`,
        false,
        req.reusedSocket && kind === "ECONNRESET",
      );
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (e: NodeJS.ErrnoException) =>
        fail(e.code ?? "ECONNRESET", `the answer broke off: ${e.message}`),
      );
      res.on("aborted", () =>
        fail("ECONNRESET", "the server closed the connection in the middle of the answer"),
      );
      res.on("end", () =>
        finish({
          kind: "answer",
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? "",
          headers: res.headers,
          body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
        }),
      );
    });
    req.end(request.body ?? undefined);
  });
}
