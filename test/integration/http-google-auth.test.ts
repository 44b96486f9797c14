// auth: "google-id-token" end to end on 127.0.0.1: google-auth-library finds a (local) metadata
// server, as on Cloud Run, which mints ID tokens signed by a key generated here; the app server
// checks each token's signature against that key's JWKS and its audience against its own origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from "node:crypto";
import { configure, experiment, httpFunction, shutdown } from "../../lib";
import { sendJson, startServer, type TestServer } from "../helpers/http-server";
import { removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
let metadata: TestServer;
let app: TestServer;
let privateKey: KeyObject;
let jwks: { keys: JsonWebKey[] };

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function mint(audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: "RS256", typ: "JWT", kid: "test-key" });
  const body = b64url({
    iss: "https://accounts.google.com",
    aud: audience,
    sub: "faaslab-test",
    iat: now,
    exp: now + 3600,
  });
  const signature = sign("RSA-SHA256", Buffer.from(`${head}.${body}`), privateKey).toString("base64url");
  return `${head}.${body}.${signature}`;
}

/** The app's check: the token's signature against the JWKS, and that it was minted for this origin. */
function tokenProblem(authorization: string | undefined, origin: string): string | null {
  const match = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? "");
  if (!match) return "no bearer token";
  const [, head, body, signature] = match;
  const { kid } = JSON.parse(Buffer.from(head, "base64url").toString()) as { kid: string };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk) return "unknown key";
  const key = createPublicKey({ key: jwk, format: "jwk" });
  if (!verify("RSA-SHA256", Buffer.from(`${head}.${body}`), key, Buffer.from(signature, "base64url")))
    return "bad signature";
  const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as { aud: string; exp: number };
  if (claims.aud !== origin) return `token for ${claims.aud}, not ${origin}`;
  return claims.exp * 1000 > Date.now() ? null : "expired";
}

before(async () => {
  workspace = tempDir("http-google");
  configure({ workspace });
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  privateKey = pair.privateKey;
  jwks = {
    keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" }],
  };
  metadata = await startServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://metadata");
    const identity = url.pathname === "/computeMetadata/v1/instance/service-accounts/default/identity";
    if (req.headers["metadata-flavor"] !== "Google" || !identity) return sendJson(res, 404, {});
    res.writeHead(200, { "content-type": "application/text", "metadata-flavor": "Google" });
    res.end(mint(url.searchParams.get("audience") ?? ""));
  });
  // google-auth-library's own switches for where the metadata server is (no Google account involved).
  process.env.GCE_METADATA_HOST = `127.0.0.1:${metadata.port}`;
  process.env.METADATA_SERVER_DETECTION = "assume-present";
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  app = await startServer((req, res) => {
    const problem = tokenProblem(req.headers.authorization, `http://127.0.0.1:${app.port}`);
    if (problem) sendJson(res, 401, { error: problem });
    else sendJson(res, 200, { hello: "from Cloud Run", path: req.url });
  });
});
after(async () => {
  await app.close();
  await metadata.close();
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

test("google-id-token: a token for the URL's origin, verified by the app, fetched once and reused", async () => {
  const unsigned = await httpFunction("run_unsigned", `${app.url}fast-run`).invoke(null);
  assert.equal(unsigned.statusCode, 401);
  const fn = httpFunction("run_signed", `${app.url}fast-run`, { auth: "google-id-token", method: "GET" });
  assert.deepEqual(await fn({ n: 1 }), { hello: "from Cloud Run", path: "/fast-run?n=1" });
  const r = await experiment(fn, { threads: 4, runsPerThread: 3, name: "signed" });
  assert.ok(
    r.rows.every((row) => row.statusCode === 200),
    JSON.stringify(r.rows.map((row) => row.errorMessage)),
  );
  const minted = metadata.requests.filter((q) => q.url.includes("/identity"));
  assert.equal(minted.length, 1, "the token is cached until near its expiry");
  assert.equal(
    new URL(minted[0].url, "http://x").searchParams.get("audience"),
    `http://127.0.0.1:${app.port}`,
  );
});
