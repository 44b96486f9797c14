// A private function on the fake Cloud Functions v2 API: without an ID token the call is refused
// (named, with the role), with a token for its URL it runs, with one for another audience it is
// refused; and failures of the real deploy path: a failed build keeps the previous deployment,
// an API not enabled is named with its command.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { cloudFunction, FaasLabError } from "../../lib";
import { GooglePlatform } from "../../platforms/google";
import { fakeGoogleSuite } from "./google/suite";

const suite = fakeGoogleSuite("google-private");

/** An unsigned JWT with the given audience: the fake checks `aud`, not signatures. */
function idToken(audience: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: audience, exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
}

const isError = (code: string, check?: (e: FaasLabError) => void) => (e: unknown) => {
  assert.ok(e instanceof FaasLabError, String(e));
  assert.equal(e.code, code, e.message);
  check?.(e);
  return true;
};

test("private: refused without a token (named, with the invoker role), served with an ID token for its URL", async () => {
  const f = cloudFunction("private_calc", async (p: { n: number }) => p.n + 1, {
    platform: "google",
    config: suite.config(),
  });
  await assert.rejects(
    f({ n: 1 }),
    isError("GOOGLE_INVOKE_DENIED", (e) => assert.match(e.hint ?? "", /run\.invoker/)),
  );
  const deployment = await f.deploy();
  const audiences: string[] = [];
  const signed = new GooglePlatform({
    idTokens: {
      authorization: async (audience) => (audiences.push(audience), `Bearer ${idToken(audience)}`),
    },
  });
  const wrong = new GooglePlatform({
    idTokens: { authorization: async () => `Bearer ${idToken("https://elsewhere.a.run.app")}` },
  });
  try {
    const raw = await signed.invoke(deployment, { n: 41 });
    assert.equal(raw.envelope?.result, 42);
    assert.deepEqual(audiences, [deployment.ref.uri], "the audience is the function's URL");
    await assert.rejects(wrong.invoke(deployment, { n: 1 }), isError("GOOGLE_INVOKE_DENIED"));
  } finally {
    await signed.shutdown();
    await wrong.shutdown();
  }
});

test("a failed build: its message and log URL; the previous deployment stays in state.json and keeps serving", async () => {
  const config = suite.config({ public: true });
  const v1 = cloudFunction("build_fails", async () => "v1", { platform: "google", config });
  assert.equal(await v1(null), "v1");
  const state = path.join(suite.workspace, "functions", "build_fails", "state.json");
  const before = readFileSync(state, "utf8");
  suite.fake.failNextBuild("npm ERR! code E404");
  const v2 = cloudFunction("build_fails", async () => "v2", { platform: "google", config });
  await assert.rejects(
    v2.deploy(),
    isError("GOOGLE_BUILD_FAILED", (e) => {
      assert.match(e.message, /npm ERR! code E404/);
      assert.match(e.hint ?? "", /the build log: http/);
    }),
  );
  assert.equal(readFileSync(state, "utf8"), before, "state.json still names the deployment that works");
  const fn = suite.fake.functions().find((f) => f.functionId.startsWith("build-fails"));
  assert.ok(fn && fn.state === "ACTIVE", JSON.stringify(fn));
});

test("an API not enabled, as the fake answers it: the API named, with its gcloud command", async () => {
  suite.fake.disableApi("cloudbuild.googleapis.com");
  try {
    const f = cloudFunction("api_off", async () => 1, { platform: "google", config: suite.config() });
    await assert.rejects(
      f.deploy(),
      isError("GOOGLE_API_DISABLED", (e) => {
        assert.match(e.message, /cloudbuild\.googleapis\.com/);
        assert.match(
          e.hint ?? "",
          /gcloud services enable cloudbuild\.googleapis\.com --project fake-project/,
        );
      }),
    );
  } finally {
    suite.fake.enableApi("cloudbuild.googleapis.com");
  }
});

test("public refused by an org policy, as the fake answers it", async () => {
  suite.fake.orgPolicyBlocksAllUsers(true);
  try {
    const f = cloudFunction("org_blocked", async () => 1, {
      platform: "google",
      config: suite.config({ public: true }),
    });
    await assert.rejects(f.deploy(), isError("GOOGLE_PUBLIC_REFUSED"));
  } finally {
    suite.fake.orgPolicyBlocksAllUsers(false);
  }
});
