// httpFunction when the endpoint misbehaves: non-2xx answers, throttling with Retry-After, a server
// that hangs, one that hangs up, one that is not there; and what http cannot do (UNSUPPORTED).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import {
  configure,
  httpFunction,
  reconfigure,
  shutdown,
  sweep,
  FaasLabError,
  FunctionError,
} from "../../lib";
import { sendJson, startServer, type TestServer } from "../helpers/http-server";
import { removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
let server: TestServer;
/** Requests per path, so each test's server behaviour can depend on how often it was asked. */
const hits = new Map<string, number>();
/** Responses held open by the hanging route; ended after each test that uses it. */
const hanging: (() => void)[] = [];

before(async () => {
  workspace = tempDir("http-fail");
  configure({ workspace });
  server = await startServer((req, res) => {
    const route = new URL(req.url ?? "/", "http://x").pathname;
    const n = (hits.get(route) ?? 0) + 1;
    hits.set(route, n);
    switch (route) {
      case "/throttle-once":
        if (n === 1) return sendJson(res, 429, { error: "slow down" }, { "retry-after": "1" });
        return sendJson(res, 200, { ok: n });
      case "/always-503":
        return sendJson(res, 503, { error: "unavailable" }, { "retry-after": "0" });
      case "/broken":
        res.writeHead(500, { "content-type": "text/plain" });
        return void res.end(`database exploded: ${"x".repeat(1000)}`);
      case "/hang":
        hanging.push(() => res.end("late"));
        return;
      case "/hang-up":
        req.socket.destroy();
        return;
      default:
        return sendJson(res, 404, { error: "no such route" });
    }
  });
});
after(async () => {
  for (const end of hanging) end();
  await server.close();
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

test("429 then 200: retried after Retry-After, the wait in retryDelayMs and out of roundTripMs", async () => {
  const record = await httpFunction("throttled", `${server.url}throttle-once`).invoke(null);
  assert.equal(record.failed, false);
  assert.equal(record.statusCode, 200);
  assert.equal(record.attempts, 2);
  assert.ok(record.retryDelayMs >= 999, `waited ${record.retryDelayMs} ms for Retry-After: 1`);
  assert.ok(record.roundTripMs < record.retryDelayMs, "the round trip is the answering attempt's");
});

test("503 every time: bounded attempts, then a failed row with the status", async () => {
  const record = await httpFunction("unavailable", `${server.url}always-503`, { maxAttempts: 3 }).invoke(
    null,
  );
  assert.equal(record.failed, true);
  assert.equal(record.statusCode, 503);
  assert.equal(record.attempts, 3);
  assert.equal(hits.get("/always-503"), 3);
  assert.match(record.errorMessage ?? "", /503/);
});

test("a non-2xx answer is a failed row with its status and the start of its body", async () => {
  const fn = httpFunction("broken", `${server.url}broken`);
  const record = await fn.invoke({});
  assert.equal(record.failed, true);
  assert.equal(record.statusCode, 500);
  assert.equal(record.errorType, "HTTP 500");
  assert.match(record.errorMessage ?? "", /^500 Internal Server Error: database exploded: x+…$/);
  assert.ok((record.errorMessage ?? "").length < 400, "only the start of the body");
  await assert.rejects(fn({}), (e: unknown) => e instanceof FunctionError && e.errorType === "HTTP 500");
});

test("a server that hangs past the timeout: a TimeoutError row, timedOut", async () => {
  const record = await httpFunction("hangs", `${server.url}hang`, { timeout: 0.3 }).invoke(null);
  assert.equal(record.failed, true);
  assert.equal(record.timedOut, true);
  assert.equal(record.errorType, "TimeoutError");
  assert.equal(record.statusCode, null);
  assert.ok(record.roundTripMs >= 299, `gave up after ${record.roundTripMs} ms`);
});

test("a server that closes the connection: an ECONNRESET row", async () => {
  const record = await httpFunction("hangs_up", `${server.url}hang-up`).invoke(null);
  assert.equal(record.failed, true);
  assert.equal(record.errorType, "ECONNRESET");
  assert.equal(record.timedOut, false);
});

test("nothing listening: an ECONNREFUSED row", async () => {
  // A port that was just free: bind, note it, close (no one else binds 127.0.0.1 ports this fast).
  const probe = net.createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const record = await httpFunction("nobody", `http://127.0.0.1:${port}/`).invoke(null);
  assert.equal(record.failed, true);
  assert.equal(record.errorType, "ECONNREFUSED");
});

test("memory cannot be changed on an endpoint: reconfigure and sweep are UNSUPPORTED", async () => {
  const fn = httpFunction("no_memory", `${server.url}throttle-once`);
  const unsupported = (e: unknown) => e instanceof FaasLabError && e.code === "UNSUPPORTED";
  await assert.rejects(reconfigure(fn, { memory: 1024 }), unsupported);
  await assert.rejects(sweep(fn, { memory: [128, 256], threads: 1, runsPerThread: 1 }), unsupported);
  assert.deepEqual(await reconfigure(fn, { timeout: 2 }).then((c) => c.timeout), 2, "other knobs re-attach");
});

test("bad options are refused where the function is defined", () => {
  assert.throws(
    () =>
      httpFunction("bad_opts", "ftp://x", { method: "FETCH" as "GET", instanceId: { field: "x" } as never }),
    (e: unknown) => e instanceof FaasLabError && e.code === "INVALID_CONFIG" && /instanceId/.test(e.message),
  );
  assert.throws(() => httpFunction("bad_url", "ftp://x"), /url/);
});
