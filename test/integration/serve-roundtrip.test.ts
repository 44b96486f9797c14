// httpFunction → serve → local: httpFunction asks serve for faaslab's envelope, so the record is as
// full as a direct call's; a plain client (curl) still gets the instance, cold start and runtime in
// serve's headers; failures keep their type; a served token is what httpFunction's bearer auth sends.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudFunction, httpFunction, serve, useFunction, FunctionError } from "../../lib";
import { misbehave } from "../helpers/functions";
import { Gate, gated, type GatedResult } from "../helpers/gate";
import { httpRequest, postJson } from "../helpers/http-client";
import { sendJson, startServer } from "../helpers/http-server";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("serve-roundtrip");

test("full records through serve: instance, cold start, runtime and the envelope's own fields", async (t) => {
  const local = cloudFunction("roundtrip_local", async (p: { n: number }) => ({
    n: p.n * 2,
    pid: process.pid,
  }));
  const server = await serve(local);
  t.after(() => server.close());
  const remote = httpFunction("roundtrip_http", server.url);
  const first = await remote.invoke({ n: 21 });
  const second = await remote.invoke({ n: 1 });
  const direct = await local.invoke({ n: 0 });
  ledger.add((first.result as { pid: number }).pid);

  assert.equal(first.failed, false, first.errorMessage ?? "");
  assert.deepEqual((first.result as { n: number }).n, 42);
  assert.equal(first.statusCode, 200);
  assert.equal(first.coldStart, true);
  assert.equal(second.coldStart, false);
  assert.equal(first.instanceId, direct.instanceId, "the same instance the platform reports directly");
  assert.equal(second.instanceId, first.instanceId);
  assert.ok(second.runtimeMs !== null && second.runtimeMs >= 0, "runtime from the envelope");
  assert.ok(second.roundTripMs >= second.runtimeMs);
  assert.equal(second.instanceInvocations, 2, "the envelope's count of calls on that instance");
  assert.equal(direct.instanceInvocations, 3);
});

test("plain answers (as curl sees them): instance id, cold start and runtime in serve's headers", async (t) => {
  const local = cloudFunction("roundtrip_plain", async () => ({ pid: process.pid }));
  const server = await serve(local);
  t.after(() => server.close());
  const first = await postJson(server.url, {});
  const second = await postJson(server.url, {});
  ledger.add((first.json as { pid: number }).pid);
  assert.equal(first.status, 200);
  assert.deepEqual(Object.keys(first.json as object), ["pid"], "the bare result, no envelope");
  assert.equal(first.headers["x-faaslab-cold-start"], "true");
  assert.equal(second.headers["x-faaslab-cold-start"], "false");
  assert.equal(second.headers["x-faaslab-instance-id"], first.headers["x-faaslab-instance-id"]);
  assert.match(String(second.headers["server-timing"]), /^fn;dur=\d+(\.\d+)?$/);
});

test("a function error through serve is a failed record with its type; the call rejects", async (t) => {
  const server = await serve(cloudFunction("roundtrip_throws", misbehave));
  t.after(() => server.close());
  const remote = httpFunction("roundtrip_throws_http", server.url);
  const record = await remote.invoke({ mode: "throw" });
  ledger.add(Number(/pid (\d+)/.exec(record.errorMessage ?? "")?.[1]));
  assert.equal(record.failed, true);
  assert.equal(record.statusCode, 200, "the function ran: 200 with a failed envelope, as a shim answers");
  assert.equal(record.errorType, "TypeError");
  assert.match(record.errorMessage ?? "", /^bad input from pid \d+$/);
  await assert.rejects(remote({ mode: "throw" }), FunctionError);
});

test("serve's 429 is a Throttled record for httpFunction (no retry with maxAttempts 1)", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const local = cloudFunction("roundtrip_throttle", gated, {
    config: { maxInstances: 1, concurrency: 1, queueTimeout: 0 },
  });
  const server = await serve(local);
  t.after(() => server.close());
  const remote = httpFunction("roundtrip_throttle_http", server.url, { maxAttempts: 1 });
  const busy = remote.invoke({ gate: gate.url, key: "busy" });
  await gate.untilWaiting(1);
  const throttled = await remote.invoke({});
  gate.release();
  ledger.add(((await busy).result as GatedResult).pid);
  assert.equal(throttled.failed, true);
  assert.equal(throttled.statusCode, 429);
  assert.equal(throttled.errorType, "Throttled");
});

test("off loopback, httpFunction's bearer auth carries serve's token", async (t) => {
  const server = await serve(
    cloudFunction("roundtrip_token", async () => process.pid),
    {
      host: "0.0.0.0",
      log: () => undefined,
    },
  );
  t.after(() => server.close());
  const url = server.url.replace("0.0.0.0", "127.0.0.1");
  const without = await httpFunction("roundtrip_no_token", url, { maxAttempts: 1 }).invoke({});
  assert.equal(without.statusCode, 401);
  assert.equal(without.errorType, "Unauthorized");
  const withToken = httpFunction("roundtrip_with_token", url, { auth: { bearer: server.token ?? "" } });
  const pid = await withToken({});
  ledger.add(pid);
  assert.equal(typeof pid, "number");
});

test("serve works for a loaded function (useFunction) and for an httpFunction (serve as a proxy)", async (t) => {
  const defined = cloudFunction("roundtrip_loaded", async () => ({ pid: process.pid }));
  const direct = await defined.invoke({});
  ledger.add((direct.result as { pid: number }).pid);
  const loadedServer = await serve(useFunction("roundtrip_loaded"));
  t.after(() => loadedServer.close());
  const viaLoaded = await postJson(loadedServer.url, {});
  assert.equal(viaLoaded.status, 200);
  assert.equal(viaLoaded.headers["x-faaslab-instance-id"], direct.instanceId, "the same local instance");

  let calls = 0;
  const upstream = await startServer((req, res) => {
    calls += 1;
    if (req.url?.includes("busy")) return sendJson(res, 429, { detail: "slow down" });
    sendJson(
      res,
      200,
      { got: req.url, n: calls },
      { "x-instance-id": "upstream-1", "server-timing": "app;dur=7" },
    );
  });
  t.after(() => upstream.close());
  const proxied = httpFunction("roundtrip_upstream", upstream.url, {
    method: "GET",
    instanceId: { header: "x-instance-id" },
    maxAttempts: 1,
  });
  const proxy = await serve(proxied);
  t.after(() => proxy.close());
  const ok = await httpRequest(`${proxy.url}?q=1`);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { got: "/?q=1", n: 1 }, "the query became the payload, then the upstream query");
  assert.equal(ok.headers["x-faaslab-instance-id"], "upstream-1");
  assert.equal(ok.headers["server-timing"], "fn;dur=7");
  const busy = await httpRequest(`${proxy.url}?busy=1`);
  assert.equal(busy.status, 429, "the upstream's throttle is the proxy's 429");
});
