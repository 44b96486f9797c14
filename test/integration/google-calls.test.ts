// Call sequences of the google adapter with the real FunctionServiceClient (REST) against a scripted
// stand-in on 127.0.0.1: the happy paths' exact calls, and every error path turned into a FaasLabError
// with a hint. The full fake (fake-google/) runs the uploaded code; this checks what is sent and said.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { FaasLabError } from "../../lib/errors";
import { artifactFile, deployOptions, googleConfig, testPlatform } from "./google/helpers";
import { PROJECT, errorInfo, googleError, startStandIn, type StandIn } from "./google/stand-in";

let api: StandIn;
before(async () => {
  api = await startStandIn();
});
after(async () => {
  await api.close();
});
beforeEach(() => {
  api.calls.length = 0;
  api.script({
    getFunction: undefined,
    createFunction: undefined,
    updateFunction: undefined,
    getOperation: undefined,
    generateUploadUrl: undefined,
    setIamPolicy: undefined,
    deleteFunction: undefined,
    invoke: undefined,
  });
});

const isError = (code: string, check?: (e: FaasLabError) => void) => (e: unknown) => {
  assert.ok(e instanceof FaasLabError, String(e));
  assert.equal(e.code, code, e.message);
  check?.(e);
  return true;
};

async function deploy(name = "hello_world", overrides = {}, lines: string[] = []) {
  const { platform } = testPlatform();
  const { artifact, cleanup } = artifactFile(name);
  try {
    return await platform.deploy(artifact, googleConfig(api.endpoint, overrides), deployOptions(lines));
  } finally {
    cleanup();
    await platform.shutdown();
  }
}

test("first deploy: generateUploadUrl → PUT the zip (application/zip, no credentials) → create → poll the operation", async () => {
  const lines: string[] = [];
  const deployment = await deploy("hello_world", {}, lines);
  assert.deepEqual(api.kinds(), [
    "generateUploadUrl",
    "upload",
    "getFunction",
    "createFunction",
    "getOperation",
  ]);
  const upload = api.calls[1];
  assert.equal(upload.contentType, "application/zip");
  assert.equal(upload.authorization, null);
  const create = api.calls[3];
  const id = create.query.get("functionId") ?? "";
  assert.match(id, /^hello-world-[0-9a-f]{6}$/);
  const fn = JSON.parse(create.body);
  assert.equal(fn.buildConfig.entryPoint, "faaslab");
  assert.equal(fn.buildConfig.runtime, "nodejs22");
  assert.deepEqual(fn.buildConfig.source.storageSource, { bucket: "b", object: "o.zip" });
  assert.equal(fn.serviceConfig.availableMemory, "256Mi");
  assert.equal(fn.serviceConfig.environmentVariables.FAASLAB_FUNCTION_NAME, "hello_world");
  assert.equal(fn.labels["deployed-by"], "faaslab");
  assert.equal(deployment.ref.functionId, id);
  assert.equal(deployment.ref.uri, `${api.endpoint}/fn/${id}`);
  assert.ok(lines.some((l) => /BUILD/.test(l)) && lines.some((l) => /SERVICE/.test(l)), lines.join("\n"));
});

test("the uploaded bytes are the zip of package.json + index.js", async () => {
  await deploy("calc");
  const upload = api.calls.find((c) => c.kind === "upload");
  const files = unzipSync(new Uint8Array(upload?.bytes ?? Buffer.alloc(0)));
  assert.deepEqual(Object.keys(files).sort(), ["index.js", "package.json"]);
  assert.equal(new TextDecoder().decode(files["index.js"]), "exports.faaslab = () => {};\n");
});

test("redeploy: updateFunction with a mask of the source, build and service fields", async () => {
  api.script({ getFunction: () => ({ status: 200, body: { name: "x", state: 1 } }) });
  await deploy("calc");
  assert.deepEqual(api.kinds(), [
    "generateUploadUrl",
    "upload",
    "getFunction",
    "updateFunction",
    "getOperation",
  ]);
  const mask = (api.calls[3].query.get("updateMask") ?? "").split(",");
  for (const path of [
    "build_config.source",
    "build_config.runtime",
    "service_config.available_memory",
    "service_config.environment_variables",
  ])
    assert.ok(mask.includes(path), `${path} in ${mask.join(",")}`);
});

test("reconfigure: service_config fields only, no upload; forceColdStart adds an environment nonce", async () => {
  const deployment = await deploy("calc");
  api.calls.length = 0;
  const { platform } = testPlatform();
  const lines: string[] = [];
  const next = await platform.reconfigure(
    deployment,
    googleConfig(api.endpoint, { memory: 2048, concurrency: 4 }),
    { log: (l) => lines.push(l) },
  );
  assert.deepEqual(api.kinds(), ["updateFunction", "getOperation"]);
  const mask = (api.calls[0].query.get("updateMask") ?? "").split(",");
  assert.ok(
    mask.every((p) => p.startsWith("service_config.")),
    mask.join(","),
  );
  const body = JSON.parse(api.calls[0].body);
  assert.equal(body.serviceConfig.availableMemory, "2048Mi");
  assert.equal(body.serviceConfig.maxInstanceRequestConcurrency, 4);
  assert.equal(body.buildConfig, undefined);
  assert.equal(next.config.memory, 2048);
  api.calls.length = 0;
  await platform.forceColdStart(next, { log: () => undefined });
  const nonce = JSON.parse(api.calls[0].body).serviceConfig.environmentVariables.FAASLAB_NONCE;
  assert.match(String(nonce), /\w+-\w+/);
  await platform.shutdown();
});

test("remove: delete and wait; a function already gone is fine", async () => {
  const deployment = await deploy("calc");
  const { platform } = testPlatform();
  api.calls.length = 0;
  await platform.remove(deployment, { log: () => undefined });
  assert.deepEqual(api.kinds(), ["deleteFunction", "getOperation"]);
  api.script({ deleteFunction: () => googleError(404, "NOT_FOUND", "gone") });
  await platform.remove(deployment, { log: () => undefined });
  await platform.shutdown();
});

test("no project: refused before any call, saying where a project comes from", async () => {
  const saved = process.env.GOOGLE_CLOUD_PROJECT;
  delete process.env.GOOGLE_CLOUD_PROJECT;
  try {
    await assert.rejects(
      deploy("calc", { project: null }),
      isError("GOOGLE_PROJECT", (e) => assert.match(e.message, /GOOGLE_CLOUD_PROJECT/)),
    );
    assert.equal(api.calls.length, 0);
  } finally {
    if (saved !== undefined) process.env.GOOGLE_CLOUD_PROJECT = saved;
  }
});

test("an API not enabled: names the API and the gcloud command that enables it", async () => {
  const message = `Cloud Functions API has not been used in project 123 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudfunctions.googleapis.com/overview?project=123 then retry.`;
  api.script({
    generateUploadUrl: () =>
      googleError(403, "PERMISSION_DENIED", message, [
        errorInfo("SERVICE_DISABLED", {
          service: "cloudfunctions.googleapis.com",
          serviceTitle: "Cloud Functions API",
        }),
      ]),
  });
  await assert.rejects(
    deploy("calc"),
    isError("GOOGLE_API_DISABLED", (e) => {
      assert.match(e.message, /Cloud Functions API \(cloudfunctions\.googleapis\.com\) is not enabled/);
      assert.match(
        e.hint ?? "",
        /gcloud services enable cloudfunctions\.googleapis\.com --project stand-in-project/,
      );
    }),
  );
});

test("Cloud Build not enabled shows up in the operation: named, with its command", async () => {
  api.script({
    getOperation: () => ({
      status: 200,
      body: {
        name: `projects/${PROJECT}/locations/us-central1/operations/op-1`,
        done: true,
        error: {
          code: 7,
          message:
            "Cloud Build API has not been used in project 123 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudbuild.googleapis.com/overview?project=123 then retry.",
        },
      },
    }),
  });
  await assert.rejects(
    deploy("calc"),
    isError("GOOGLE_API_DISABLED", (e) =>
      assert.match(e.hint ?? "", /gcloud services enable cloudbuild\.googleapis\.com/),
    ),
  );
});

test("permission denied: says which permission and which role grants it", async () => {
  api.script({
    createFunction: () =>
      googleError(
        403,
        "PERMISSION_DENIED",
        "Permission 'cloudfunctions.functions.create' denied on 'projects/p/locations/r/functions/calc'",
        [errorInfo("IAM_PERMISSION_DENIED", { permission: "cloudfunctions.functions.create" })],
      ),
  });
  await assert.rejects(
    deploy("calc"),
    isError("GOOGLE_PERMISSION_DENIED", (e) => {
      assert.match(e.message, /cloudfunctions\.functions\.create is missing/);
      assert.match(e.hint ?? "", /roles\/cloudfunctions\.developer/);
    }),
  );
  api.script({
    createFunction: () =>
      googleError(
        403,
        "PERMISSION_DENIED",
        "Permission 'iam.serviceAccounts.actAs' denied on service account x",
      ),
  });
  await assert.rejects(
    deploy("calc"),
    isError("GOOGLE_PERMISSION_DENIED", (e) => assert.match(e.hint ?? "", /roles\/iam\.serviceAccountUser/)),
  );
});

test("quota exceeded: the quota named, and what to do", async () => {
  api.script({
    createFunction: () =>
      googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Write requests'", [
        errorInfo("RATE_LIMIT_EXCEEDED", { quota_metric: "cloudfunctions.googleapis.com/write_requests" }),
      ]),
  });
  await assert.rejects(
    deploy("calc"),
    isError("GOOGLE_QUOTA_EXCEEDED", (e) => assert.match(e.message, /write_requests/)),
  );
});

test("a failed build: the build's message and its log URL", async () => {
  const url = "https://console.cloud.google.com/cloud-build/builds;region=us-central1/abc-123?project=123";
  api.script({
    getOperation: () => ({
      status: 200,
      body: {
        name: `projects/${PROJECT}/locations/us-central1/operations/op-1`,
        done: true,
        metadata: {
          "@type": "type.googleapis.com/google.cloud.functions.v2.OperationMetadata",
          stages: [{ name: 2, state: 2 }],
        },
        error: {
          code: 3,
          message: `Build failed with status: FAILURE and message: npm ERR! missing script. For more details see the logs at ${url}.`,
        },
      },
    }),
  });
  await assert.rejects(
    deploy("calc"),
    isError("GOOGLE_BUILD_FAILED", (e) => {
      assert.match(e.message, /npm ERR! missing script/);
      assert.ok((e.hint ?? "").includes(url.slice(0, 60)), e.hint);
    }),
  );
});

test("a deploy that never finishes: our own total timeout, naming the stage it was in", async () => {
  api.script({
    getOperation: () => ({
      status: 200,
      body: {
        name: `projects/${PROJECT}/locations/us-central1/operations/op-1`,
        done: false,
        metadata: {
          "@type": "type.googleapis.com/google.cloud.functions.v2.OperationMetadata",
          stages: [{ name: 2, state: 2 }],
        },
      },
    }),
  });
  const { platform } = testPlatform({
    waitSeconds: 0.2,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  const { artifact, cleanup } = artifactFile("calc");
  try {
    await assert.rejects(
      platform.deploy(artifact, googleConfig(api.endpoint), deployOptions()),
      isError("GOOGLE_DEPLOY_TIMEOUT", (e) => assert.match(e.message, /still in BUILD/)),
    );
  } finally {
    cleanup();
    await platform.shutdown();
  }
});

test("an id Google refuses: the rule, the mapping and a suggestion", async () => {
  api.script({
    createFunction: () => googleError(400, "INVALID_ARGUMENT", "Invalid function id: must match [a-z]..."),
  });
  await assert.rejects(
    deploy("hello_world"),
    isError("GOOGLE_INVALID_NAME", (e) => {
      assert.match(e.message, /hello-world-[0-9a-f]{6}.*hello_world/);
      assert.match(e.hint ?? "", /lowercase letters, digits and "-"/);
    }),
  );
});

test("public: grants allUsers the invoker role; an org policy refusing it is named", async () => {
  await deploy("calc", { public: true });
  assert.deepEqual(api.kinds().slice(-2), ["getIamPolicy", "setIamPolicy"]);
  const policy = JSON.parse(api.calls.at(-1)?.body ?? "{}").policy;
  assert.deepEqual(policy.bindings, [{ role: "roles/run.invoker", members: ["allUsers"] }]);
  api.script({
    setIamPolicy: () =>
      googleError(
        400,
        "FAILED_PRECONDITION",
        "One or more users named in the policy do not belong to a permitted customer, perhaps due to an organization policy.",
      ),
  });
  await assert.rejects(
    deploy("calc", { public: true }),
    isError("GOOGLE_PUBLIC_REFUSED", (e) => assert.match(e.hint ?? "", /"public": false/)),
  );
});

test("a change while another operation runs (409 ABORTED) waits and tries again", async () => {
  const deployment = await deploy("calc");
  api.calls.length = 0;
  api.script({
    updateFunction: (_call, n) =>
      n === 1
        ? googleError(409, "ABORTED", "An operation on function calc is already in progress.")
        : undefined,
  });
  const { platform, sleeps } = testPlatform();
  const lines: string[] = [];
  await platform.reconfigure(deployment, googleConfig(api.endpoint, { memory: 512 }), {
    log: (l) => lines.push(l),
  });
  assert.deepEqual(api.kinds(), ["updateFunction", "updateFunction", "getOperation"]);
  assert.ok(sleeps.length >= 1 && sleeps[0] >= 2000, `waited before retrying: ${sleeps.join(", ")}`);
  assert.ok(lines.some((l) => /another operation/.test(l)));
  await platform.shutdown();
});
