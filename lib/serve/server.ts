import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { FaasLabError } from "../errors";
import type { CloudFunction } from "../function/cloud-function";
import { answerFor, errorAnswer, ENVELOPE_HEADER, type Answer } from "./answer";
import { hasBearer } from "./auth";
import { untrackServer } from "./open-servers";
import type { ResolvedServeOptions } from "./options";
import { parseRequest } from "./request";

/** A function served over HTTP. */
export interface FunctionServer {
  /** Where to send requests, e.g. "http://127.0.0.1:8080/". */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The bearer token callers must send; null when none is required (loopback without a token). */
  readonly token: string | null;
  /** Stops listening, lets requests in flight finish (at most drainMs), then closes every connection. Idempotent. */
  close(): Promise<void>;
}

/** One listening node:http server in front of one function. */
export class ServedFunction implements FunctionServer {
  url = "";
  port = 0;
  private readonly server: http.Server;
  /** One controller per request in flight: close() aborts the ones still running after drainMs. */
  private readonly inFlight = new Set<AbortController>();
  private drained: (() => void) | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly fn: CloudFunction,
    private readonly options: ResolvedServeOptions,
  ) {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    // A request for a slow function may take as long as the function's timeout: no server-side cut.
    this.server.requestTimeout = 0;
  }

  get host(): string {
    return this.options.host;
  }

  get token(): string | null {
    return this.options.token;
  }

  /** Binds; a busy or forbidden port is a FaasLabError that says so. */
  async listen(): Promise<void> {
    const { port, host } = this.options;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => reject(listenError(e, host, port));
      this.server.once("error", onError);
      this.server.listen(port, host, () => {
        this.server.off("error", onError);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
    this.url = `http://${shown}:${this.port}/`;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.inFlight.size > 0) {
      const drained = new Promise<void>((resolve) => (this.drained = resolve));
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.drainMs)));
      await Promise.race([drained, bound]);
      clearTimeout(timer);
      for (const controller of this.inFlight) controller.abort();
    }
    this.server.closeAllConnections();
    await closed;
    untrackServer(this);
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    // A client that goes away stops waiting; the platform decides what happens to its request.
    response.on("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    try {
      send(response, await this.answer(request, controller.signal), this.closing !== null);
      // In flight until its bytes are handed to the socket: close() must not cut an answer short.
      await new Promise<void>((resolve) => {
        if (response.writableFinished || response.destroyed) return resolve();
        response.once("finish", resolve).once("close", resolve);
      });
    } finally {
      this.inFlight.delete(controller);
      if (this.inFlight.size === 0) this.drained?.();
    }
  }

  private async answer(request: http.IncomingMessage, signal: AbortSignal): Promise<Answer> {
    const token = this.options.token;
    if (token !== null && !hasBearer(request, token)) {
      request.resume();
      return errorAnswer(401, "Unauthorized", "send Authorization: Bearer <token>", {
        "www-authenticate": 'Bearer realm="faaslab"',
      });
    }
    const parsed = await parseRequest(request).catch((e: Error) => ({
      refusal: { status: 400, errorType: "BadRequest", errorMessage: e.message, headers: undefined },
    }));
    if ("refusal" in parsed) {
      const { status, errorType, errorMessage, headers } = parsed.refusal;
      return errorAnswer(status, errorType, errorMessage, headers);
    }
    try {
      const record = await this.fn.invoke(parsed.payload, { signal });
      return answerFor(record, request.headers[ENVELOPE_HEADER] === "1");
    } catch (e) {
      // Not the function's failure (those are records): the platform could not run it.
      const code = e instanceof FaasLabError ? e.code : "InvokeFailed";
      return errorAnswer(502, code, e instanceof Error ? e.message : String(e));
    }
  }
}

function send(response: http.ServerResponse, answer: Answer, closing: boolean): void {
  if (response.destroyed || response.headersSent) return;
  const body = Buffer.from(answer.body, "utf8");
  const headers: Record<string, string | number> = { ...answer.headers, "content-length": body.length };
  if (closing) headers.connection = "close";
  response.writeHead(answer.status, headers);
  response.end(body);
}

function listenError(e: NodeJS.ErrnoException, host: string, port: number): FaasLabError {
  const where = `${host}:${port}`;
  const [message, hint] =
    e.code === "EADDRINUSE"
      ? [`port ${port} on ${host} is already in use`, "choose another port, or port 0 for a free one"]
      : e.code === "EACCES"
        ? [`not allowed to listen on ${where}`, "ports below 1024 need privileges: use a higher port"]
        : e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND"
          ? [`${host} is not an address of this machine`, 'use "127.0.0.1", or "0.0.0.0" for every interface']
          : [`cannot listen on ${where}: ${e.message}`, undefined];
  return new FaasLabError(`serve: ${message}`, {
    code: "SERVE_LISTEN_FAILED",
    phase: "config",
    hint,
    cause: e,
  });
}
