// serve(): a local function over real HTTP on 127.0.0.1 — every status mapping, the headers, the
// token rule off loopback, and that nothing listens once a server is closed.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { rmSync } from "node:fs";
import * as path from "node:path";
import { cloudFunction, serve, useFunction, FaasLabError, ConfigError } from "../../lib";
import { MAX_BODY_BYTES } from "../../lib/serve/request";
import { misbehave } from "../helpers/functions";
import { Gate, gated, type GatedResult } from "../helpers/gate";
import { httpRequest, postJson } from "../helpers/http-client";
import { someoneListensOn } from "../helpers/sockets";
import { localSuite } from "../helpers/suite";

const { workspace, ledger } = localSuite("serve");

const echo = async (payload: unknown) => ({ echoed: payload, pid: process.pid });
type Echoed = { echoed: unknown; pid: number };

test("POST / answers the result as JSON with the instance id, the cold start and Server-Timing", async (t) => {
  const fn = cloudFunction("serve_echo", echo);
  const server = await serve(fn);
  t.after(() => server.close());
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(server.token, null, "no token on loopback unless asked for");

  const payload = { text: "héllo ✓", list: [1, null, true] };
  const first = await postJson(server.url, payload);
  const second = await postJson(server.url, payload);
  const body = first.json as Echoed;
  ledger.add(body.pid);
  assert.equal(first.status, 200, first.text);
  assert.match(String(first.headers["content-type"]), /^application\/json/);
  assert.deepEqual(body.echoed, payload);
  assert.equal(first.headers["x-faaslab-cold-start"], "true");
  assert.equal(second.headers["x-faaslab-cold-start"], "false");
  const instance = first.headers["x-faaslab-instance-id"];
  assert.equal(typeof instance, "string");
  assert.equal(second.headers["x-faaslab-instance-id"], instance, "the warm call reused the instance");
  const timing = /^fn;dur=(\d+(?:\.\d+)?)$/.exec(String(second.headers["server-timing"]));
  assert.ok(timing, `Server-Timing: ${String(second.headers["server-timing"])}`);
  assert.ok(Number(timing[1]) <= second.ms, "the in-function time is within the client's round trip");
  assert.notEqual(first.headers["x-faaslab-request-id"], second.headers["x-faaslab-request-id"]);
});

test("GET /?k=v is { k: 'v' } (a repeated key an array); an empty body and a bare GET are {}", async (t) => {
  const server = await serve(cloudFunction("serve_query", echo));
  t.after(() => server.close());
  const query = await httpRequest(`${server.url}?name=Steve&n=1&tag=a&tag=b`);
  assert.equal(query.status, 200, query.text);
  assert.deepEqual((query.json as Echoed).echoed, { name: "Steve", n: "1", tag: ["a", "b"] });
  const bare = await httpRequest(server.url);
  assert.deepEqual((bare.json as Echoed).echoed, {});
  const empty = await httpRequest(server.url, { method: "POST", body: "" });
  assert.deepEqual((empty.json as Echoed).echoed, {});
  const nullBody = await httpRequest(server.url, { method: "POST", body: "null" });
  assert.equal((nullBody.json as Echoed).echoed, null, "a JSON null is sent as it is");
  ledger.add((bare.json as Echoed).pid);
});

test("a malformed body is 400, another path 404, another method 405: the function never runs", async (t) => {
  const server = await serve(cloudFunction("serve_refusals", echo));
  t.after(() => server.close());
  const bad = await httpRequest(server.url, { method: "POST", body: "{not json" });
  assert.equal(bad.status, 400);
  assert.equal((bad.json as { errorType: string }).errorType, "BadRequest");
  assert.match((bad.json as { errorMessage: string }).errorMessage, /not JSON/);
  const path = await httpRequest(`${server.url}fast-run`);
  assert.equal(path.status, 404);
  const method = await httpRequest(server.url, { method: "PUT", body: "{}" });
  assert.equal(method.status, 405);
  assert.equal(method.headers.allow, "GET, POST");
  for (const answer of [bad, path, method]) assert.equal(answer.headers["x-faaslab-instance-id"], undefined);
});

test("a function error is 500 with its type and message as JSON", async (t) => {
  const server = await serve(cloudFunction("serve_throws", misbehave));
  t.after(() => server.close());
  const answer = await postJson(server.url, { mode: "throw" });
  assert.equal(answer.status, 500);
  const error = answer.json as { errorType: string; errorMessage: string; timedOut: boolean };
  assert.equal(error.errorType, "TypeError");
  assert.match(error.errorMessage, /^bad input from pid (\d+)$/);
  ledger.add(Number(/pid (\d+)/.exec(error.errorMessage)?.[1]));
  assert.equal(error.timedOut, false);
  assert.equal(typeof answer.headers["x-faaslab-instance-id"], "string", "the instance that ran it is named");
});

test("a call that outlives the function's timeout is 504", async (t) => {
  const fn = cloudFunction("serve_timeout", misbehave, { config: { timeout: 1 } });
  const server = await serve(fn);
  t.after(() => server.close());
  const answer = await postJson(server.url, { mode: "spin" });
  assert.equal(answer.status, 504, answer.text);
  const error = answer.json as { errorType: string; timedOut: boolean };
  assert.equal(error.errorType, "TimeoutError");
  assert.equal(error.timedOut, true);
});

test("when the platform throttles (all instances busy, no queue) the answer is 429", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const fn = cloudFunction("serve_throttle", gated, {
    config: { maxInstances: 1, concurrency: 1, queueTimeout: 0 },
  });
  const server = await serve(fn);
  t.after(() => server.close());
  const busy = postJson(server.url, { gate: gate.url, key: "busy" });
  await gate.untilWaiting(1); // the only slot is taken
  const throttled = await postJson(server.url, {});
  gate.release();
  const done = await busy;
  ledger.add((done.json as GatedResult).pid);
  assert.equal(done.status, 200);
  assert.equal(throttled.status, 429, throttled.text);
  assert.equal((throttled.json as { errorType: string }).errorType, "Throttled");
  assert.equal(throttled.headers["retry-after"], "1");
});

test("a busy port is a FaasLabError that says so; bad options are a ConfigError listing each", async (t) => {
  const other = http.createServer();
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => other.close(() => resolve())));
  const port = (other.address() as AddressInfo).port;
  const fn = cloudFunction("serve_busy_port", echo);
  await assert.rejects(serve(fn, { port }), (e: unknown) => {
    assert.ok(e instanceof FaasLabError);
    assert.equal(e.code, "SERVE_LISTEN_FAILED");
    assert.match(e.message, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(e.message, /port 0 for a free one/);
    return true;
  });
  await assert.rejects(serve(fn, { port: 70000, token: "short", colour: "red" } as never), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.problems.length, 3, e.problems.join("; "));
    return true;
  });
  await assert.rejects(serve((async () => 1) as never), ConfigError, "not a faaslab function");
});

test("off loopback a token is required: generated and printed once, 401 without it or with a wrong one", async (t) => {
  const lines: string[] = [];
  const server = await serve(cloudFunction("serve_token", echo), {
    host: "0.0.0.0",
    log: (l) => lines.push(l),
  });
  t.after(() => server.close());
  const token = server.token;
  assert.ok(token && token.length >= 16, "a token was generated");
  assert.equal(lines.length, 1);
  assert.ok(lines[0].includes(token), "the generated token is printed once");
  const local = server.url.replace("0.0.0.0", "127.0.0.1"); // talk to loopback only

  const none = await httpRequest(local);
  assert.equal(none.status, 401);
  assert.equal(none.headers["www-authenticate"], 'Bearer realm="faaslab"');
  const wrong = await httpRequest(local, { headers: { authorization: `Bearer ${token}x` } });
  assert.equal(wrong.status, 401);
  const prefix = await httpRequest(local, { headers: { authorization: `Bearer ${token.slice(0, -1)}` } });
  assert.equal(prefix.status, 401);
  const right = await httpRequest(local, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(right.status, 200, right.text);
  ledger.add((right.json as Echoed).pid);
});

test("a token given on loopback is enforced too, and never printed", async (t) => {
  const lines: string[] = [];
  const token = "a-token-chosen-by-the-user";
  const server = await serve(cloudFunction("serve_token_given", echo), { token, log: (l) => lines.push(l) });
  t.after(() => server.close());
  assert.deepEqual(lines, []);
  assert.equal((await httpRequest(server.url)).status, 401);
  const ok = await httpRequest(server.url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(ok.status, 200);
  ledger.add((ok.json as Echoed).pid);
});

test("close() lets a request in flight finish, refuses new ones, is idempotent; nothing listens after", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const server = await serve(cloudFunction("serve_close", gated));
  const port = Number(new URL(server.url).port);
  assert.ok(someoneListensOn(port));
  const inFlight = postJson(server.url, { gate: gate.url, key: "last" });
  await gate.untilWaiting(1);
  const closing = server.close();
  assert.equal(server.close(), closing, "a second close() is the same close");
  await assert.rejects(httpRequest(server.url), /ECONNREFUSED/, "no new connection once closing");
  assert.equal(someoneListensOn(port), false, "the listener is gone at once");
  gate.release();
  const answer = await inFlight;
  assert.equal(answer.status, 200, "the request in flight got its answer");
  assert.equal(answer.headers.connection, "close");
  ledger.add((answer.json as GatedResult).pid);
  await closing;
  await server.close();
});

test("close() cuts off what is still running after drainMs", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const server = await serve(cloudFunction("serve_drain", gated), { drainMs: 0 });
  const stuck = postJson(server.url, { gate: gate.url, key: "stuck" }).then(
    (answer) => answer.status,
    (e: NodeJS.ErrnoException) => e.code ?? e.message,
  );
  const [arrival] = await gate.untilWaiting(1);
  ledger.add(arrival.pid);
  await server.close();
  assert.equal(await stuck, "ECONNRESET", "the connection was closed without an answer");
});

test("when the platform cannot run the function at all the answer is 502 with faaslab's error code", async (t) => {
  await cloudFunction("serve_gone", echo).deploy(); // deployed, no instance started yet
  const server = await serve(useFunction("serve_gone")); // loaded: no source to deploy it again
  t.after(() => server.close());
  rmSync(path.join(workspace, "functions", "serve_gone", "deployed"), { recursive: true, force: true });
  const answer = await httpRequest(server.url);
  assert.equal(answer.status, 502, answer.text);
  const error = answer.json as { errorType: string; errorMessage: string };
  assert.equal(error.errorType, "NOT_DEPLOYED");
  assert.match(error.errorMessage, /has no source here/);
});

test("a body over 32 MiB is refused with 413 before the function runs", async (t) => {
  const server = await serve(cloudFunction("serve_large", echo));
  t.after(() => server.close());
  const body = `"${"x".repeat(MAX_BODY_BYTES)}"`;
  const answer = await httpRequest(server.url, { method: "POST", body });
  assert.equal(answer.status, 413);
  assert.equal((answer.json as { errorType: string }).errorType, "PayloadTooLarge");
  assert.equal(answer.headers["x-faaslab-instance-id"], undefined);
});
