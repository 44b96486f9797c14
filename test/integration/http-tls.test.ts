// The http platform's undici pool over TLS, its shutdown, and a caller's abort, against real servers
// on 127.0.0.1 (an https server with a certificate made by openssl for this run).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import * as path from "node:path";
import { configure, httpFunction, shutdown } from "../../lib";
import { handleOf } from "../../lib/function/cloud-function";
import { platformFor } from "../../lib/registry";
import { sendJson, startServer, type TestServer } from "../helpers/http-server";
import { compiledLib, removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
let certFile: string;
let tlsServer: https.Server;
let tlsUrl: string;
let plain: TestServer;
const tlsSockets: boolean[] = [];
let releaseHung: (() => void) | null = null;
let hungArrived: () => void = () => undefined;
const hung = new Promise<void>((resolve) => (hungArrived = resolve));

before(async () => {
  workspace = tempDir("http-tls");
  configure({ workspace });
  certFile = path.join(workspace, "cert.pem");
  const keyFile = path.join(workspace, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
      .concat(["-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=faaslab-test"])
      .concat(["-addext", "subjectAltName=IP:127.0.0.1"]),
    { stdio: "ignore" },
  );
  tlsServer = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    tlsSockets.push((req.socket as Socket & { encrypted?: boolean }).encrypted === true);
    sendJson(res, 200, { secure: true });
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
  tlsUrl = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}/`;
  plain = await startServer(
    (req, res) => {
      if (req.url === "/hang") {
        releaseHung = () => sendJson(res, 200, { late: true });
        hungArrived();
      } else sendJson(res, 200, { ok: true });
    },
    { keepAliveTimeoutMs: 120_000 },
  );
});
after(async () => {
  releaseHung?.();
  await plain.close();
  tlsServer.closeAllConnections();
  await new Promise((resolve) => tlsServer.close(resolve));
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

test("TLS: a certificate nobody vouches for is refused, the row named by its kind", async () => {
  const record = await httpFunction("untrusted", tlsUrl).invoke(null);
  assert.equal(record.failed, true);
  assert.equal(record.errorType, "DEPTH_ZERO_SELF_SIGNED_CERT");
  assert.equal(record.statusCode, null);
});

test("TLS: with the certificate trusted (NODE_EXTRA_CA_CERTS) the answer comes back over https", async () => {
  const script = `
    const lib = require(${JSON.stringify(compiledLib())});
    lib.configure({ workspace: ${JSON.stringify(workspace)} });
    const fn = lib.httpFunction("trusted", ${JSON.stringify(tlsUrl)});
    fn(null).then(async (a) => console.log(JSON.stringify([a, await fn(null)])));`;
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: certFile };
  const child = spawn(process.execPath, ["-e", script], { env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  // The child ends by itself once idle (the kept-alive TLS connection is unref'd); the kill is a bound.
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
  clearTimeout(killer);
  assert.equal(signal, null, "the child had to be killed");
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), [{ secure: true }, { secure: true }]);
  assert.deepEqual(tlsSockets, [true, true], "both requests arrived on TLS sockets");
});

test(
  "shutdown() closes the pooled connections the server still keeps open",
  { timeout: 30_000 },
  async () => {
    const server = http.createServer((_req, res) => sendJson(res, 200, { ok: true }));
    server.keepAliveTimeout = 120_000; // only the client can end these connections within the test
    const closed: Promise<unknown>[] = [];
    server.on("connection", (socket: Socket) => closed.push(once(socket, "close")));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const fn = httpFunction("pooled", `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await Promise.all([fn(null), fn(null), fn(null)]);
      assert.ok(closed.length > 0, "the calls opened connections");
      await shutdown();
      // Each connection the server accepted closes: the pool let none of them linger.
      await Promise.all(closed);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  },
);

test("a caller's abort ends the attempt at once: an Aborted row, not a timeout", async () => {
  const fn = httpFunction("aborted", `${plain.url}hang`, { timeout: 60, maxAttempts: 1 });
  const deployment = await handleOf(fn).deploy();
  const stop = new AbortController();
  const pending = platformFor("http").invoke(deployment, null, { signal: stop.signal });
  await hung; // the server holds the request: now the abort is mid-flight

  stop.abort();
  const raw = await pending;
  assert.equal(raw.failure?.errorType, "Aborted");
  assert.equal(raw.failure?.timedOut, false);
});
