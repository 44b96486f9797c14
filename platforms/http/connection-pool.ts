import * as net from "node:net";
import * as tls from "node:tls";
import type { AttemptOutcome } from "./outcome";
import { ResponseParser, type ParsedResponse } from "./response-parser";

type Outcome = AttemptOutcome;
type Waiter = (outcome: Outcome) => void;

/** One kept-alive HTTP/1.1 connection: one request at a time. */
class Connection {
  readonly parser = new ResponseParser();
  /** Requests this connection carried before the current one. */
  served = 0;
  waiter: Waiter | null = null;
  closed = false;

  constructor(
    readonly socket: net.Socket,
    private readonly onIdle: (c: Connection) => void,
    private readonly onGone: (c: Connection) => void,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (data: Buffer) => this.receive(data));
    socket.on("error", (e: NodeJS.ErrnoException) => this.fail(e.code ?? e.name, e.message));
    socket.on("close", () => {
      const done = this.parser.end();
      if (done) this.deliver(done);
      else this.fail("ECONNRESET", "the server closed the connection before answering");
    });
  }

  private receive(data: Buffer): void {
    let done: ParsedResponse | null;
    try {
      done = this.parser.feed(data);
    } catch (e) {
      this.fail("InvalidResponse", (e as Error).message);
      this.socket.destroy();
      return;
    }
    if (done) this.deliver(done);
  }

  private deliver(response: ParsedResponse): void {
    const waiter = this.waiter;
    if (!waiter) return this.close(); // an answer nobody asked for: the connection is out of step
    this.waiter = null;
    this.served += 1;
    if (response.keepAlive && !this.closed) this.onIdle(this);
    else this.close();
    waiter({ kind: "answer", ...response });
  }

  private fail(errorType: string, message: string): void {
    const waiter = this.waiter;
    // Nothing of an answer came back on a reused connection: the server had closed it (keep-alive race).
    const staleSocket = this.served > 0 && !this.parser.started;
    this.waiter = null;
    this.close();
    waiter?.({
      kind: "error",
      errorType,
      errorMessage: `${errorType}: ${message}`,
      timedOut: false,
      staleSocket,
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onGone(this);
  }
}

/**
 * A keep-alive HTTP/1.1 client for one origin: idle connections are reused (last in, first out), a
 * new one is opened when none is idle. The request is written as prepared bytes and the answer read
 * by ResponseParser: about a third of node:http's CPU per request, which is what lets an experiment
 * keep up with a load generator. Never rejects; errors are outcomes named by their kind.
 */
export class ConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly port: number;
  private readonly host: string;

  constructor(private readonly url: URL) {
    this.host = url.hostname.replace(/^\[|\]$/g, "");
    this.port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  }

  send(request: Buffer, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const connection = this.idle.pop() ?? this.open();
      connection.socket.ref();
      let settled = false;
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      const abandon = (errorType: string, errorMessage: string, timedOut: boolean) => {
        connection.waiter = null;
        connection.close(); // an unanswered request leaves the connection unusable
        finish({ kind: "error", errorType, errorMessage, timedOut, staleSocket: false });
      };
      const timer = setTimeout(
        () => abandon("TimeoutError", `no answer from ${this.url.host} within ${timeoutMs} ms`, true),
        timeoutMs,
      );
      const onAbort = () => abandon("Aborted", "the caller stopped waiting for the answer", false);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      connection.waiter = finish;
      connection.socket.write(request);
    });
  }

  /** Closes every connection (idle or busy). */
  destroy(): void {
    for (const connection of [...this.all]) connection.close();
  }

  private open(): Connection {
    const socket =
      this.url.protocol === "https:"
        ? tls.connect({
            host: this.host,
            port: this.port,
            servername: net.isIP(this.host) ? undefined : this.host,
            ALPNProtocols: ["http/1.1"],
          })
        : net.connect({ host: this.host, port: this.port });
    const connection = new Connection(
      socket,
      (c) => {
        // An idle connection does not keep the process alive (as node:http's agent does it).
        c.socket.unref();
        this.idle.push(c);
      },
      (c) => {
        this.all.delete(c);
        const at = this.idle.indexOf(c);
        if (at >= 0) this.idle.splice(at, 1);
      },
    );
    this.all.add(connection);
    return connection;
  }
}
