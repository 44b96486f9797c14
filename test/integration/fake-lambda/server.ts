/**
 * A fake AWS Lambda REST endpoint on 127.0.0.1 for end-to-end tests with the real LambdaClient:
 * create / get / update code and configuration / invoke (with X-Amz-Log-Result) / delete, the
 * Pending → Active and InProgress → Successful states the SDK waiters poll, and zip code run by the
 * Lambda-shaped Node runtime in child processes (execution environments, warm reuse, cold starts,
 * timeouts). Use: `const fake = await startFakeLambda(); … new LambdaClient({ endpoint: fake.endpoint })`.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { LambdaError, roleNotAssumable, sendError, throttled } from "./errors";
import type { InvocationEntry, Reply } from "./invoke";
import type { CallEntry, FakeLambda, FakeLambdaOptions, Fault } from "./types";
import { EnvironmentPool } from "./pool";
import { invokeUrl } from "./function-url";
import { dispatch, route, type Operation } from "./router";
import { configurationOf } from "./configuration";
import { FunctionStore } from "./store";

export type { CallEntry, FakeLambda, FakeLambdaOptions, Fault, FunctionSnapshot } from "./types";

const FAULTS: Record<Fault, () => LambdaError> = {
  throttle: () => throttled(),
  roleNotAssumable,
  serviceError: () => new LambdaError(500, "ServiceException", "The service encountered an internal error."),
};

export async function startFakeLambda(options: FakeLambdaOptions = {}): Promise<FakeLambda> {
  const region = options.region ?? "us-east-1";
  const requestLimit = options.requestLimitBytes ?? 70_167_211;
  const root = mkdtempSync(path.join(os.tmpdir(), "fake-lambda-"));
  const pool = new EnvironmentPool(region, options.concurrencyLimit ?? 32);
  const store = new FunctionStore({
    root,
    region,
    pendingPolls: options.pendingPolls ?? 1,
    settleMs: options.settleMs ?? 3000,
    unzippedLimitBytes: options.unzippedLimitBytes ?? 262_144_000,
    onRetire: (name, revisionId) => pool.retire(name, revisionId),
  });
  const calls: CallEntry[] = [];
  const invocationLog: InvocationEntry[] = [];
  const faults = new Map<Operation, Fault[]>();

  async function handle(req: IncomingMessage, res: ServerResponse, t0: number): Promise<void> {
    const requestId = randomUUID();
    const call: CallEntry = { operation: "Unknown", functionName: null, status: 0, at: Date.now() };
    calls.push(call);
    const body = await readBody(req, requestLimit);
    let reply: Reply;
    try {
      reply = await answer(req, body, call);
    } catch (error) {
      const e =
        error instanceof LambdaError ? error : new LambdaError(500, "ServiceException", String(error));
      call.status = e.status;
      sendError(res, e, requestId);
      return;
    }
    call.status = reply.status;
    const entry = reply.invocation;
    if (entry) {
      invocationLog.push(entry);
      res.once("finish", () => (entry.handlingMs = performance.now() - t0));
    }
    res.writeHead(reply.status, {
      "x-amzn-RequestId": requestId,
      "Content-Length": Buffer.byteLength(reply.body),
      "x-fake-lambda-handling-ms": (performance.now() - t0).toFixed(3),
      ...reply.headers,
    });
    res.end(reply.body);
  }

  /** The reply to one API (or function URL) request; API errors are thrown as LambdaError. */
  async function answer(req: IncomingMessage, body: Buffer | null, call: CallEntry): Promise<Reply> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname.startsWith("/_url/")) {
      call.operation = "FunctionUrl";
      const target = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.search.slice(1),
        headers: req.headers,
      };
      return invokeUrl(store, pool, target, body ?? Buffer.alloc(0));
    }
    const r = route(req.method ?? "GET", url.pathname);
    call.operation = r.operation;
    call.functionName = r.name;
    checkSignature(String(req.headers.authorization ?? ""));
    if (body === null) {
      throw new LambdaError(
        413,
        "RequestEntityTooLargeException",
        `Request must be smaller than ${requestLimit} bytes for the ${r.operation} operation`,
      );
    }
    const fault = faults.get(r.operation)?.shift();
    if (fault) throw FAULTS[fault]();
    return dispatch(store, pool, r, { query: url.searchParams, headers: req.headers, body });
  }

  const server = createServer((req, res) => {
    const t0 = performance.now();
    // Read-only views for a test or bench in another process (the runner, main.ts); not Lambda's API.
    const view = req.url === "/_fake/invocations" ? invocationLog : req.url === "/_fake/calls" ? calls : null;
    if (view) {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(view));
      return;
    }
    handle(req, res, t0).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, new LambdaError(500, "ServiceException", String(error)), "");
      else res.destroy();
    });
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  store.urlBase = `http://127.0.0.1:${port}`;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    calls,
    invocationLog,
    get invocations() {
      return invocationLog.length;
    },
    get connections() {
      return connections;
    },
    functions: () =>
      store.all().map((fn) => {
        const configuration = configurationOf(fn);
        return {
          name: fn.name,
          state: String(configuration.State),
          lastUpdateStatus: String(configuration.LastUpdateStatus),
          configuration,
          codeDir: (fn.pending ?? fn.current)?.codeDir ?? null,
          environments: pool
            .all()
            .filter((e) => e.functionName === fn.name && e.alive)
            .map((e) => ({ id: e.id, pid: e.pid, busy: e.busy, invocations: e.invocations })),
        };
      }),
    pids: () =>
      pool
        .all()
        .filter((e) => e.alive)
        .flatMap((e) => (e.pid ? [e.pid] : [])),
    failNext(operation, count, fault) {
      const list = faults.get(operation) ?? [];
      for (let i = 0; i < count; i++) list.push(fault);
      faults.set(operation, list);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.closeAll();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Requests must be SigV4-signed (the signature itself is not checked). An access key id starting with
 * AKIAINVALID is refused as Lambda refuses unknown keys, so tests can exercise rejected credentials.
 */
function checkSignature(authorization: string): void {
  const key = /^AWS4-HMAC-SHA256 Credential=([^/]+)\//.exec(authorization)?.[1];
  if (!key) throw new LambdaError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  if (key.startsWith("AKIAINVALID")) {
    throw new LambdaError(
      403,
      "UnrecognizedClientException",
      "The security token included in the request is invalid.",
    );
  }
}

/** The body, or null when it is over `limit` (the rest is drained so the reply can still be sent). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
