import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { InstancePool } from "./capacity";
import type { Instance, Revision } from "./instance";

export interface InvocationEntry {
  functionId: string;
  revision: string;
  instanceId: string | null;
  pid: number | null;
  cold: boolean;
  status: number;
  /** From the request's arrival at the front to the instance's response headers (ms). */
  handlingMs: number;
  at: number;
}

export interface ServiceOptions {
  pendingMs: number;
  startTimeoutMs: number;
  isPublic: () => boolean;
  log: InvocationEntry[];
}

/**
 * The data plane of one function: its own listener on 127.0.0.1 (the function's `uri`), the bearer
 * check Cloud Run makes for a private service, admission through the InstancePool, and a proxy to
 * the chosen instance.
 */
export class FunctionService {
  readonly pool: InstancePool;
  private readonly server: Server;
  uri = "";

  constructor(
    readonly functionId: string,
    private readonly options: ServiceOptions,
  ) {
    this.pool = new InstancePool(options.pendingMs, options.startTimeoutMs);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => reply(res, 500, `fake-google: ${String(error)}`));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    this.uri = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Rolls out a revision as Cloud Run does: starts max(1, minInstances) instances, and only once the
   * first listens does it take traffic (the old revision's instances retire). Rejects with the
   * container's startup failure.
   */
  async rollOut(revision: Revision): Promise<void> {
    const instances = Array.from({ length: Math.max(1, revision.minInstances) }, () =>
      this.pool.start(revision),
    );
    try {
      await instances[0]!.ready;
    } catch (error) {
      for (const i of instances) i.kill();
      throw Object.assign(error as Error, { log: instances[0]!.log });
    }
    this.pool.promote(revision);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const revision = this.pool.current;
    const entry: InvocationEntry = {
      functionId: this.functionId,
      revision: revision?.name ?? "",
      instanceId: null,
      pid: null,
      cold: false,
      status: 0,
      handlingMs: 0,
      at: Date.now(),
    };
    this.options.log.push(entry);
    const finish = (status: number, text: string) => {
      entry.status = status;
      entry.handlingMs = performance.now() - t0;
      reply(res, status, text);
    };
    const denied = this.options.isPublic() ? null : authProblem(req.headers.authorization, this.uri);
    if (denied) return finish(denied, denied === 403 ? FORBIDDEN : UNAUTHORIZED);
    const body = await readAll(req);
    if (!revision) return finish(404, "Not Found");
    // An instance that died a moment ago (its exit not yet seen) refuses the connection: that
    // request goes to another instance, as Cloud Run routes around a dead one.
    for (let attempt = 0; attempt < 3; attempt++) {
      const slot = await this.pool.acquire();
      if (!slot)
        return finish(429, "Rate exceeded. The request was aborted because there was no available instance.");
      const { instance, cold } = slot;
      Object.assign(entry, {
        instanceId: instance.id,
        pid: instance.pid ?? null,
        cold,
        revision: instance.revision.name,
      });
      try {
        await instance.ready;
      } catch {
        this.pool.release(instance);
        return finish(503, "Service Unavailable: the instance failed to start.");
      }
      if ((await this.forward(req, res, body, instance, entry, t0, finish)) === "sent") return;
    }
    finish(503, "Service Unavailable: no instance accepted the request.");
  }

  /** Proxies one request to `instance`; "refused" when it could not connect (nothing was sent back). */
  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    instance: Instance,
    entry: InvocationEntry,
    t0: number,
    finish: (status: number, text: string) => void,
  ): Promise<"sent" | "refused"> {
    return new Promise((resolve) => {
      const upstream = request({
        host: "127.0.0.1",
        port: instance.port,
        method: req.method,
        path: req.url,
        agent: instance.agent,
        headers: {
          ...req.headers,
          host: new URL(this.uri).host,
          "x-forwarded-proto": "https",
          "content-length": body.length,
        },
        timeout: instance.revision.timeoutSeconds * 1000,
      });
      let released = false;
      const release = () => {
        if (!released) this.pool.release(instance);
        released = true;
      };
      upstream.on("timeout", () => {
        upstream.destroy();
        release();
        if (!res.headersSent) finish(504, "upstream request timeout");
        resolve("sent");
      });
      upstream.on("error", (error: NodeJS.ErrnoException) => {
        release();
        if (error.code === "ECONNREFUSED" && !res.headersSent) {
          instance.kill();
          return resolve("refused");
        }
        if (!res.headersSent)
          finish(
            503,
            `The request failed because either the HTTP response was malformed or connection to the instance had an error. (${error.code ?? error.message})`,
          );
        else res.destroy();
        resolve("sent");
      });
      // A caller that hangs up does not free the slot early: the instance is still working. Its
      // answer is drained instead, so the slot frees when the instance is done.
      let upstreamAnswer: IncomingMessage | null = null;
      res.on("close", () => upstreamAnswer?.resume());
      upstream.on("response", (answer) => {
        upstreamAnswer = answer;
        if (answer.headers["x-google-status"] === "crash") {
          // The Framework's answer on its way out (an uncaught error, process.exit): the instance
          // takes nothing more, and its connection is not reused.
          instance.retired = true;
          const socket = answer.socket;
          answer.on("end", () => socket.destroy());
        }
        answer.on("end", release);
        answer.on("error", release);
        resolve("sent");
        if (res.destroyed) {
          answer.resume();
          return;
        }
        entry.status = answer.statusCode ?? 0;
        entry.handlingMs = performance.now() - t0;
        res.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          "x-fake-google-instance": instance.id,
          "x-fake-google-handling-ms": entry.handlingMs.toFixed(3),
        });
        answer.pipe(res);
      });
      upstream.end(body);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.pool.closeAll();
  }
}

const FORBIDDEN = "Error: Forbidden\nYour client does not have permission to get URL / from this server.";
const UNAUTHORIZED = "Error: Unauthorized\nYour client does not have permission to the requested URL.";

/**
 * 403 without a bearer token; 401 when the token is a JWT whose `aud` is not this function's URL (an
 * ID token minted for another audience); any other bearer token is accepted (no signature check).
 */
function authProblem(header: string | undefined, uri: string): 401 | 403 | null {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!token) return 403;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as { aud?: unknown };
    if (claims.aud === undefined) return null;
    const aud = String(claims.aud).replace(/\/$/, "");
    return aud === uri ? null : 401;
  } catch {
    return null;
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  res
    .writeHead(status, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    })
    .end(text);
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
