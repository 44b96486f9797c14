// The http platform's own connections against real node:http servers: chunked answers, kept-alive
// connections the server closes between requests, envelopes passed through, sightings on disk.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { configure, httpFunction, shutdown } from "../../lib";
import { shutdownPlatforms } from "../../lib/registry";
import { SIGHTINGS_FILE } from "../../platforms/http/sightings";
import { sendJson, startServer, type TestServer } from "../helpers/http-server";
import { compiledLib, functionFiles, removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
let server: TestServer;
const envelope = {
  ok: true,
  result: { sum: 3 },
  metrics: {
    requestId: "r-1",
    instanceId: "env-inst",
    coldStart: false,
    runtimeMs: 7.5,
    instanceInvocations: 4,
  },
  attributes: { custom: 1 },
};

before(async () => {
  workspace = tempDir("http-conn");
  configure({ workspace });
  server = await startServer(
    (req, res) => {
      if (req.url === "/chunked") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"parts":');
        res.end('["a","b"]}'); // two writes without a length: Transfer-Encoding: chunked
      } else if (req.url === "/close-after") {
        // Keep-alive advertised, then the connection dropped right after the answer: the next request
        // finds the pooled connection closed.
        sendJson(res, 200, { n: server.requests.length });
        res.on("finish", () => setImmediate(() => req.socket.destroy()));
      } else if (req.url === "/envelope") sendJson(res, 200, envelope);
      else sendJson(res, 200, { ok: true }, { "x-faaslab-instance-id": `srv-${server.requests.length % 2}` });
    },
    { keepAliveTimeoutMs: 120_000 },
  ); // idle connections stay open for the whole file
});
after(async () => {
  await server.close();
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

test("a chunked answer is read whole", async () => {
  assert.deepEqual(await httpFunction("chunked", `${server.url}chunked`)(null), { parts: ["a", "b"] });
});

test("a pooled connection the server closed is not a failed row: the request is sent on a new one", async () => {
  const fn = httpFunction("closing", `${server.url}close-after`);
  for (let i = 0; i < 5; i++) {
    const record = await fn.invoke(null);
    assert.equal(record.failed, false, `call ${i}: ${record.errorType} ${record.errorMessage}`);
  }
});

test("a faaslab envelope in the answer gives the row its metrics and attributes", async () => {
  const record = await httpFunction("enveloped", `${server.url}envelope`).invoke(null);
  assert.deepEqual(record.result, { sum: 3 });
  assert.equal(record.instanceId, "env-inst");
  assert.equal(record.runtimeMs, 7.5);
  assert.equal(record.coldStart, false, "the envelope's word, not a sighting");
  assert.equal(record.instanceInvocations, 4);
  assert.deepEqual(record.attributes, { custom: 1 });
});

test("x-faaslab-instance-id names the instance by default; sightings survive a new platform object", async () => {
  const fn = httpFunction("sighted", server.url);
  const first = [await fn.invoke(null), await fn.invoke(null)];
  assert.deepEqual(
    first.map((r) => r.coldStart),
    [true, true],
    "two instances, each seen for the first time",
  );
  const file = path.join(functionFiles(workspace, "sighted").dir, "deployed", SIGHTINGS_FILE);
  assert.deepEqual(
    readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as string)
      .sort(),
    ["srv-0", "srv-1"],
  );
  await shutdownPlatforms(); // as after a kernel restart: a new http platform reads the file
  const again = [await fn.invoke(null), await fn.invoke(null)];
  assert.deepEqual(
    again.map((r) => r.coldStart),
    [false, false],
  );
});

test("idle pooled connections do not keep a script's process alive", async () => {
  const script = `
    const lib = require(${JSON.stringify(compiledLib())});
    lib.configure({ workspace: ${JSON.stringify(workspace)} });
    lib.httpFunction("exits", ${JSON.stringify(server.url)})(null).then((r) => console.log(JSON.stringify(r)));`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  // The server keeps the connection for 120 s: an exit well before that is the client letting go.
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
  clearTimeout(killer);
  assert.equal(signal, null, "the child had to be killed: a pooled connection held it");
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), { ok: true });
});
