// The google adapter's invoke against a scripted function URL on 127.0.0.1: the ID token it sends
// (and when it sends none), 429/503 retried and counted, then Throttled; Cloud Run's own answers
// (504, a bare 500) as failed rows; 401/403 and 404 as set-up errors; no credentials named.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { FaasLabError, isDeploymentGone } from "../../lib/errors";
import type { Deployment } from "../../lib/platform";
import { artifactFile, deployOptions, googleConfig, testPlatform } from "./google/helpers";
import { PROJECT, REGION, startStandIn, type StandIn } from "./google/stand-in";

let api: StandIn;
before(async () => {
  api = await startStandIn();
});
after(async () => {
  await api.close();
});
beforeEach(() => {
  api.calls.length = 0;
  api.script({ invoke: undefined });
});

const ENVELOPE = {
  ok: true,
  result: { n: 2 },
  metrics: {
    runtimeMs: 120,
    coldStart: true,
    initMs: 90,
    requestId: "r1",
    instanceId: "i1",
    instanceInvocations: 1,
  },
  attributes: {},
};

function deployment(overrides: Record<string, unknown> = {}): Deployment {
  return {
    platform: "google",
    functionName: "calc",
    hash: "h",
    config: googleConfig(api.endpoint, { memory: 512, ...overrides }),
    ref: {
      functionId: "calc",
      project: PROJECT,
      region: REGION,
      resourceName: `projects/${PROJECT}/locations/${REGION}/functions/calc`,
      endpoint: api.endpoint,
      uri: `${api.endpoint}/fn/calc`,
      revision: null,
    },
    deployedAt: new Date(0).toISOString(),
  };
}

const tokens = { authorization: async (audience: string) => `Bearer token-for:${audience}` };

test("a call POSTs the JSON payload with an ID token for the function's URL; the row gets billedMs and cpuAllocated", async () => {
  api.script({ invoke: () => ({ status: 200, body: ENVELOPE }) });
  const { platform } = testPlatform({ idTokens: tokens });
  const raw = await platform.invoke(deployment(), { n: 1 });
  assert.equal(api.calls.length, 1);
  assert.equal(api.calls[0].authorization, `Bearer token-for:${api.endpoint}/fn/calc`);
  assert.equal(api.calls[0].contentType, "application/json");
  assert.deepEqual(JSON.parse(api.calls[0].body), { n: 1 });
  assert.equal(raw.failure, null);
  assert.deepEqual(raw.envelope?.result, { n: 2 });
  assert.equal(raw.attempts, 1);
  assert.equal(raw.billedMs, 300, "120 ms + 90 ms start-up, up to 100 ms steps");
  assert.equal(raw.cpuAllocated, 0.333, "Google's default for 512 MB");
  await platform.shutdown();
});

test("a public function, or an emulator without credentials, gets no Authorization header", async () => {
  api.script({ invoke: () => ({ status: 200, body: ENVELOPE }) });
  const { platform } = testPlatform({ idTokens: tokens });
  await platform.invoke(deployment({ public: true }), null);
  assert.equal(api.calls[0].authorization, null);
  assert.match(
    api.calls[0].contentType ?? "",
    /^text\/plain/,
    "a bare null goes as text: the framework's JSON parser is strict",
  );
  await platform.shutdown();
  const plain = testPlatform().platform;
  await plain.invoke(deployment(), null);
  assert.equal(api.calls[1].authorization, null);
  await plain.shutdown();
});

test("429 and 503 are retried with backoff and counted; the answering attempt is timed alone", async () => {
  api.script({
    invoke: (_c, n) =>
      n <= 2 ? { status: n === 1 ? 429 : 503, body: "Rate exceeded." } : { status: 200, body: ENVELOPE },
  });
  const { platform, sleeps } = testPlatform();
  const raw = await platform.invoke(deployment(), { n: 1 });
  assert.equal(raw.failure, null);
  assert.equal(raw.attempts, 3);
  assert.equal(sleeps.length, 2);
  assert.ok(typeof raw.finalAttemptAt === "number" && typeof raw.retryDelayMs === "number");
  await platform.shutdown();
});

test("after the last try the row is Throttled with the status code", async () => {
  api.script({ invoke: () => ({ status: 503, body: "no available instance" }) });
  const { platform } = testPlatform({ throttleBackoff: { attempts: 3, baseMs: 1, maxMs: 2 } });
  const raw = await platform.invoke(deployment(), null);
  assert.equal(raw.attempts, 3);
  assert.equal(api.calls.length, 3);
  assert.equal(raw.failure?.errorType, "Throttled");
  assert.equal(raw.statusCode, 503);
  assert.match(raw.failure?.errorMessage ?? "", /503 \(3 attempts\)/);
  await platform.shutdown();
});

test("Cloud Run's own answers are failed rows: 504 a timeout, a bare 500 a crash", async () => {
  const { platform } = testPlatform();
  api.script({ invoke: () => ({ status: 504, body: "upstream request timeout" }) });
  const timeout = await platform.invoke(deployment(), null);
  assert.equal(timeout.failure?.errorType, "TimeoutError");
  assert.equal(timeout.failure?.timedOut, true);
  api.script({ invoke: () => ({ status: 500, body: "Internal Server Error" }) });
  const crash = await platform.invoke(deployment(), null);
  assert.equal(crash.failure?.errorType, "FunctionCrashed");
  assert.equal(crash.statusCode, 500);
  await platform.shutdown();
});

test("403 from the URL is a set-up error naming the invoker role; 404 says the deployment is gone", async () => {
  const { platform } = testPlatform();
  api.script({ invoke: () => ({ status: 403, body: "Forbidden" }) });
  await assert.rejects(platform.invoke(deployment(), null), (e: unknown) => {
    assert.ok(e instanceof FaasLabError);
    assert.equal(e.code, "GOOGLE_INVOKE_DENIED");
    assert.match(e.hint ?? "", /roles\/run\.invoker/);
    return true;
  });
  api.script({ invoke: () => ({ status: 404, body: "Not Found" }) });
  await assert.rejects(platform.invoke(deployment(), null), (e: unknown) => isDeploymentGone(e));
  await platform.shutdown();
});

test("no credentials (no ADC, no metadata server): named, with the gcloud command", async () => {
  const home = mkdtempSync(path.join(tmpdir(), "google-noadc-"));
  const keys = ["GOOGLE_APPLICATION_CREDENTIALS", "HOME", "CLOUDSDK_CONFIG", "METADATA_SERVER_DETECTION"];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  process.env.HOME = home;
  process.env.CLOUDSDK_CONFIG = path.join(home, "gcloud");
  process.env.METADATA_SERVER_DETECTION = "none";
  const { platform } = testPlatform();
  const { artifact, cleanup } = artifactFile("calc");
  try {
    // No endpoint: Google itself, so credentials are needed; none are found before any request leaves.
    await assert.rejects(platform.deploy(artifact, googleConfig(null), deployOptions()), (e: unknown) => {
      assert.ok(e instanceof FaasLabError, String(e));
      assert.equal(e.code, "GOOGLE_CREDENTIALS");
      assert.match(e.hint ?? "", /gcloud auth application-default login/);
      return true;
    });
  } finally {
    cleanup();
    await platform.shutdown();
    for (const k of keys)
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    rmSync(home, { recursive: true, force: true });
  }
});
