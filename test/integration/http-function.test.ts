// httpFunction against real node:http servers on 127.0.0.1: bodies, query strings, instance ids,
// Server-Timing, cold starts from sightings, and the function as a remembered workspace function.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { configure, experiment, httpFunction, loadFunctions, shutdown } from "../../lib";
import { sendJson, startServer, type TestServer } from "../helpers/http-server";
import { functionFiles, removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
let server: TestServer;

before(async () => {
  workspace = tempDir("http-fn");
  configure({ workspace });
  // Two instances taking turns; the in-function time in Server-Timing, as Cloud Run apps often send it.
  let served = 0;
  server = await startServer((req, res) => {
    if (req.url?.startsWith("/page")) {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>hello</body></html>");
      return;
    }
    const instance = `inst-${served++ % 2}`;
    sendJson(
      res,
      200,
      { method: req.method, path: req.url, body: req.body, app_instance_id: instance },
      { "server-timing": 'db;dur=1.25, app;dur=3.5;desc="handler"', "x-instance-id": instance },
    );
  });
});
after(async () => {
  await server.close();
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

test("a call POSTs the payload as JSON and resolves to the parsed body", async () => {
  const fn = httpFunction("post_plain", server.url);
  const answer = (await fn({ name: "Steve" })) as { method: string; body: string };
  assert.equal(answer.method, "POST");
  assert.deepEqual(JSON.parse(answer.body), { name: "Steve" });
  const seen = server.requests.at(-1)!;
  assert.equal(seen.headers["content-type"], "application/json");
});

test("GET sends the payload as the query string", async () => {
  const fn = httpFunction("get_query", `${server.url}search?fixed=1`, { method: "GET" });
  const answer = (await fn({ k: "v w", n: 2, nested: { a: 1 } })) as {
    method: string;
    path: string;
    body: string;
  };
  assert.equal(answer.method, "GET");
  assert.equal(answer.body, "");
  const query = new URL(answer.path, server.url).searchParams;
  assert.equal(query.get("fixed"), "1");
  assert.equal(query.get("k"), "v w");
  assert.equal(query.get("n"), "2");
  assert.equal(query.get("nested"), '{"a":1}');
});

test("a record carries status, bytes, the instance id from the JSON field and runtime from Server-Timing", async () => {
  const fn = httpFunction("field_ids", server.url, { instanceId: { jsonField: "app_instance_id" } });
  const record = await fn.invoke({ x: 1 });
  const result = record.result as { app_instance_id: string };
  assert.equal(record.failed, false);
  assert.equal(record.statusCode, 200);
  assert.ok(record.responseBytes! > 0);
  assert.equal(record.instanceId, result.app_instance_id);
  assert.equal(record.runtimeMs, 3.5, "app;dur=3.5 (db is a phase, not the total)");
  assert.equal(record.latencyMs, Math.round((record.roundTripMs - 3.5) * 1000) / 1000);
});

test("the instance id can come from a header; cold start is the first sighting of an id", async () => {
  const fn = httpFunction("header_ids", server.url, { instanceId: { header: "X-Instance-Id" } });
  const records = [];
  for (let i = 0; i < 4; i++) records.push(await fn.invoke(null));
  const firsts = new Map<string, boolean>();
  for (const r of records) {
    assert.ok(r.instanceId?.startsWith("inst-"), `instance id ${r.instanceId}`);
    assert.equal(r.coldStart, !firsts.has(r.instanceId!));
    firsts.set(r.instanceId!, true);
  }
  assert.equal(firsts.size, 2);
});

test("sightings last across experiments and a reloaded function", async () => {
  const fn = httpFunction("remembered", server.url, { instanceId: { jsonField: "app_instance_id" } });
  const first = await experiment(fn, { threads: 2, runsPerThread: 3, name: "first" });
  assert.equal(first.rows.filter((r) => r.coldStart === true).length, 2, "two instances, each cold once");
  const [again] = Object.values(await loadFunctions()).filter((f) => f.functionName === "remembered");
  assert.ok(again, "loadFunctions() finds the http function");
  const second = await experiment(again, { threads: 2, runsPerThread: 3, name: "second" });
  assert.equal(second.rows.length, 6);
  assert.ok(second.rows.every((r) => r.coldStart === false && r.platform === "http"));
});

test("an HTML answer is the text; without an instance source or Server-Timing those stay null", async () => {
  const fn = httpFunction("html_page", `${server.url}page`);
  assert.equal(await fn(null), "<html><body>hello</body></html>");
  const record = await fn.invoke(null);
  assert.equal(record.instanceId, null);
  assert.equal(record.runtimeMs, null);
  assert.equal(record.latencyMs, null);
  assert.equal(record.coldStart, null);
});

test("state.json records the URL and options, and the experiment its rows", async () => {
  const fn = httpFunction("stateful", server.url, { method: "PUT", timeout: 5 });
  await fn.invoke({});
  const state = JSON.parse(readFileSync(functionFiles(workspace, "stateful").state, "utf8")) as {
    platform: string;
    config: Record<string, unknown>;
  };
  assert.equal(state.platform, "http");
  assert.equal(state.config.url, server.url);
  assert.equal(state.config.method, "PUT");
  assert.equal(state.config.timeout, 5);
  const r = await experiment(fn, { threads: 1, runsPerThread: 2, name: "rows" });
  const csv = readFileSync(
    path.join(functionFiles(workspace, "stateful").dir, "experiments", "rows", "results.csv"),
    "utf8",
  );
  assert.equal(r.rows.length, 2);
  assert.match(csv.split("\n")[0], /statusCode/);
});
