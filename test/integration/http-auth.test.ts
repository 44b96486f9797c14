// httpFunction's auth against real local servers: a bearer check (and the token never written
// anywhere), and a Lambda-function-URL-style server that verifies SigV4 with the SDK's own signer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { configure, experiment, httpFunction, shutdown } from "../../lib";
import { NodeSha256 } from "../../platforms/http/auth/sha256";
import { sendJson, startServer, type TestServer } from "../helpers/http-server";
import { compiledLib, removeDir, tempDir } from "../helpers/workspace";

const TOKEN = "tok-3f9a1c77e2b54d0e-SECRET";
const ACCESS_KEY = "AKIDFAASLABTEST00001";
const SECRET_KEY = "faaslab/test/secret+key/0123456789abcdef";

let workspace: string;
let bearerServer: TestServer;
let sigv4Server: TestServer;

before(async () => {
  workspace = tempDir("http-auth");
  configure({ workspace });
  // The SDK's credential chain reads these first (static test credentials, no account).
  process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
  delete process.env.AWS_SESSION_TOKEN;
  bearerServer = await startServer((req, res) =>
    req.headers.authorization === `Bearer ${TOKEN}`
      ? sendJson(res, 200, { hello: "authorised" })
      : sendJson(res, 401, { error: "who are you?" }),
  );
  sigv4Server = await startServer(async (req, res) => {
    const verdict = await verifySigV4(
      req.method ?? "",
      req.url ?? "/",
      req.headers,
      req.body,
      sigv4Server.port,
    );
    if (verdict === "ok") sendJson(res, 200, { signed: true, body: req.body });
    else sendJson(res, 403, { message: verdict });
  });
});
after(async () => {
  await bearerServer.close();
  await sigv4Server.close();
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

/**
 * What a Lambda function URL does: recompute the signature over the headers the request says it
 * signed, at the time it says, with the caller's secret key, and compare.
 */
async function verifySigV4(
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  port: number,
): Promise<string> {
  const authorization = String(headers.authorization ?? "");
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return "missing or malformed SigV4 authorization";
  const [, accessKey, , region, service, signedHeaders, signature] = match;
  if (accessKey !== ACCESS_KEY) return "unknown access key";
  if (service !== "lambda") return `signed for ${service}, not lambda`;
  const amzDate = String(headers["x-amz-date"]);
  const signingDate = new Date(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
  const parsed = new URL(url, `http://127.0.0.1:${port}`);
  const query: Record<string, string> = {};
  parsed.searchParams.forEach((v, k) => (query[k] = v));
  const signed = Object.fromEntries(signedHeaders.split(";").map((name) => [name, String(headers[name])]));
  const request = new HttpRequest({
    method,
    protocol: "http:",
    hostname: "127.0.0.1",
    port,
    path: parsed.pathname,
    query,
    headers: signed,
    body: body || undefined,
  });
  const signer = new SignatureV4({
    service: "lambda",
    region,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    sha256: NodeSha256,
  });
  const expected = await signer.sign(request, { signingDate });
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1];
  return expectedSignature === signature ? "ok" : "signature does not match";
}

/** Every file under `dir`, as text. */
function allText(dir: string): string {
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, "utf8")))
    .join("\n");
}

test("behind a bearer check: refused without the token (a 401 row), answered with it", async () => {
  const anonymous = await httpFunction("no_token", bearerServer.url).invoke(null);
  assert.equal(anonymous.failed, true);
  assert.equal(anonymous.statusCode, 401);
  const fn = httpFunction("with_token", bearerServer.url, { auth: { bearer: TOKEN } });
  assert.deepEqual(await fn(null), { hello: "authorised" });
  const r = await experiment(fn, { threads: 2, runsPerThread: 2, name: "authorised" });
  assert.ok(r.rows.every((row) => row.statusCode === 200));
});

test("a new bearer token given to the same function and URL is the one sent next", async () => {
  const stale = httpFunction("rotated_token", bearerServer.url, { auth: { bearer: "expired-token" } });
  assert.equal((await stale.invoke(null)).statusCode, 401);
  const fresh = httpFunction("rotated_token", bearerServer.url, { auth: { bearer: TOKEN } });
  assert.deepEqual(await fresh(null), { hello: "authorised" });
});

test("a URL carrying user:password@ is refused before anything is written or sent", async () => {
  const before = bearerServer.requests.length;
  const url = bearerServer.url.replace("http://", "http://user:secret@");
  assert.throws(() => httpFunction("url_credentials", url), /without user:password@/);
  assert.equal(bearerServer.requests.length, before);
});

test("the bearer token and header values reach no file: state.json, meta.json, runs, logs", async () => {
  const fn = httpFunction("header_auth", bearerServer.url, {
    auth: { headers: { authorization: `Bearer ${TOKEN}` } },
  });
  await experiment(fn, { threads: 1, runsPerThread: 2, name: "headers" });
  const second = httpFunction("second_bearer", bearerServer.url, { auth: { bearer: TOKEN } });
  await second.invoke(null);
  const written = allText(workspace);
  assert.ok(written.includes("header_auth") && written.includes("with_token"), "the files were written");
  assert.ok(!written.includes(TOKEN), "the token is in no file of the workspace");
  assert.throws(
    () => httpFunction("leaky", bearerServer.url, { auth: { bearer: 42 } as never }),
    (e: Error) => !e.message.includes(TOKEN) && /auth/.test(e.message),
  );
});

test("loaded in a new process without its token, the function refuses to send (AUTH_MISSING)", async () => {
  const script = `
    const lib = require(${JSON.stringify(compiledLib())});
    lib.configure({ workspace: ${JSON.stringify(workspace)} });
    lib.useFunction("with_token").invoke(null)
      .then(() => console.log("sent"), (e) => console.log(e.code + " " + e.message))
      .finally(() => lib.shutdown());`;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { timeout: 60_000 });
  assert.match(stdout, /^AUTH_MISSING /);
  assert.ok(!stdout.includes(TOKEN));
  assert.equal(
    bearerServer.requests.filter((r) => !r.headers.authorization).length,
    1,
    "only no_token went unsigned",
  );
});

test("aws-iam: SigV4 from the SDK's credential chain, verified by the server; unsigned is refused", async () => {
  const url = `${sigv4Server.url}invoke?mode=test`;
  const unsigned = await httpFunction("iam_unsigned", url).invoke({ a: 1 });
  assert.equal(unsigned.statusCode, 403);
  const fn = httpFunction("iam_signed", url, { auth: "aws-iam", region: "eu-west-1" });
  const record = await fn.invoke({ a: 1 });
  assert.equal(record.statusCode, 200, record.errorMessage ?? "");
  assert.deepEqual(record.result, { signed: true, body: '{"a":1}' });
  const get = httpFunction("iam_get", url, { auth: "aws-iam", region: "eu-west-1", method: "GET" });
  assert.equal((await get.invoke({ q: "x y" })).statusCode, 200, "the query is signed too");
  assert.ok(!allText(workspace).includes(SECRET_KEY));
});
