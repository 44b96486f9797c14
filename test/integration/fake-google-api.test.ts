// The fake Cloud Functions v2 API driven by the real @google-cloud/functions client (REST fallback)
// over real HTTP: uploads, create / get / list / update / delete, operations that really poll, IAM.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { protos } from "@google-cloud/functions";
import { survivors } from "../helpers/processes";
import {
  createFromZip,
  functionFor,
  invoke,
  probeZip,
  realClient,
  upload,
  zipOf,
  PACKAGE_JSON,
} from "./fake-google/fixtures";
import { startFakeGoogle, type FakeGoogle } from "./fake-google/server";

const IN_PROGRESS = protos.google.cloud.functions.v2.Stage.State.IN_PROGRESS;
const ACTIVE = protos.google.cloud.functions.v2.Function.State.ACTIVE;
let fake: FakeGoogle;
let client: ReturnType<typeof realClient>;
let parent: string;
const nameOf = (id: string) => client.functionPath(fake.project, fake.region, id);

before(async () => {
  fake = await startFakeGoogle();
  client = realClient(fake);
  parent = client.locationPath(fake.project, fake.region);
});
after(async () => {
  await client.close();
  await fake.stop();
});

describe("uploads", () => {
  test("generateUploadUrl names a StorageSource; the PUT takes application/zip with no credentials and refuses other types", async () => {
    const [up] = await client.generateUploadUrl({ parent, environment: "GEN_2" });
    assert.match(up.uploadUrl!, /^http:\/\/127\.0\.0\.1:\d+\/_upload\//);
    assert.ok(up.storageSource?.bucket && up.storageSource.object);
    const wrong = await fetch(up.uploadUrl!, { method: "PUT", body: new Uint8Array(probeZip()) });
    assert.equal(wrong.status, 403);
    assert.match(await wrong.text(), /SignatureDoesNotMatch/);
    await upload(client, fake, probeZip());
    const last = fake.uploads[fake.uploads.length - 1]!;
    assert.deepEqual([last.status, last.contentType, last.authorization], [200, "application/zip", false]);
    assert.equal(
      fake.calls.find((c) => c.method === "generateUploadUrl")?.authorization,
      null,
      "PassThroughClient sends no Authorization",
    );
  });
});

describe("create, get, list", () => {
  test("create returns a pending operation, the first poll is not done, stages progress, op.promise() yields ACTIVE with a uri", async () => {
    const storageSource = await upload(client, fake, probeZip());
    const [op] = await client.createFunction({
      parent,
      functionId: "api-fn",
      function: functionFor(storageSource, { environmentVariables: { GREETING: "hi" } }),
    });
    assert.equal(op.done, false);
    const first = await client.checkCreateFunctionProgress(op.name!);
    assert.equal(first.done, false, "the first poll is never done");
    const seen: number[][] = [];
    op.on("progress", (md: protos.google.cloud.functions.v2.IOperationMetadata) =>
      seen.push((md.stages ?? []).map((s) => Number(s.state))),
    );
    const [fn, metadata] = await op.promise();
    assert.equal(fn.state, ACTIVE);
    assert.match(fn.serviceConfig!.uri!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(fn.serviceConfig!.revision!, /^api-fn-00001-/);
    const stageNames = (metadata as protos.google.cloud.functions.v2.IOperationMetadata).stages!.map(
      (s) => s.name,
    );
    const { BUILD, SERVICE } = protos.google.cloud.functions.v2.Stage.Name;
    assert.deepEqual(stageNames, [BUILD, SERVICE]);
    const polls = fake.calls.filter(
      (c) => c.method === "getOperation" && c.path.includes(op.name!.split("/").pop()!),
    );
    assert.ok(polls.length >= 2, `polled ${polls.length} times`);
    const done = await client.checkCreateFunctionProgress(op.name!);
    assert.equal(done.done, true);
    assert.equal((done.result as protos.google.cloud.functions.v2.IFunction).name, nameOf("api-fn"));
    assert.ok(
      seen.some((states) => states.includes(IN_PROGRESS)),
      `progress seen: ${JSON.stringify(seen)}`,
    );
  });

  test("get returns the function (enums decoded by the client), defaults filled in; list finds it", async () => {
    const [fn] = await client.getFunction({ name: nameOf("api-fn") });
    // The fake answers numbers (the client asks for enum-encoding=int); getFunction still yields names.
    assert.equal(fn.state, "ACTIVE");
    const s = fn.serviceConfig!;
    assert.deepEqual(
      [s.availableMemory, s.availableCpu, s.maxInstanceRequestConcurrency, s.maxInstanceCount],
      ["256M", "0.167", 1, 100],
    );
    assert.equal(s.environmentVariables?.GREETING, "hi");
    assert.equal(fn.buildConfig?.runtime, "nodejs22");
    const [all] = await client.listFunctions({ parent });
    assert.ok(all.some((f) => f.name === nameOf("api-fn")));
  });

  test("errors arrive as GoogleErrors: ALREADY_EXISTS, NOT_FOUND, INVALID_ARGUMENT (id rules, nodejs20, concurrency without a vCPU)", async () => {
    const storageSource = await upload(client, fake, probeZip());
    const create = (functionId: string, f = functionFor(storageSource)) =>
      client.createFunction({ parent, functionId, function: f });
    await assert.rejects(create("api-fn"), (e: { code?: number }) => e.code === 6);
    await assert.rejects(
      client.getFunction({ name: nameOf("missing") }),
      (e: { code?: number }) => e.code === 5,
    );
    await assert.rejects(
      create("hello_world"),
      (e: Error & { code?: number }) => e.code === 3 && /lowercase alphanumeric/.test(e.message),
    );
    const old = functionFor(storageSource);
    old.buildConfig!.runtime = "nodejs20";
    await assert.rejects(
      create("old-runtime", old),
      (e: Error & { code?: number }) => e.code === 3 && /decommissioned/.test(e.message),
    );
    const packed = functionFor(storageSource, { maxInstanceRequestConcurrency: 4 });
    await assert.rejects(
      create("packed", packed),
      (e: Error & { code?: number }) => e.code === 3 && /concurrency > 1/.test(e.message),
    );
    assert.equal(fake.functions().filter((f) => f.functionId !== "api-fn").length, 0, "nothing was created");
  });
});

describe("update and delete", () => {
  test("an updateMask of service_config fields changes only those: no build, a new revision, other fields kept", async () => {
    const builds = fake.builds;
    const [op] = await client.updateFunction({
      function: { name: nameOf("api-fn"), serviceConfig: { availableMemory: "512M", maxInstanceCount: 3 } },
      updateMask: { paths: ["service_config.available_memory", "serviceConfig.maxInstanceCount"] },
    });
    const patch = fake.calls.filter((c) => c.method === "updateFunction").pop()!;
    assert.match(
      decodeURIComponent(patch.path),
      /updateMask=service_config\.available_memory,serviceConfig\.maxInstanceCount/,
    );
    const [fn] = await op.promise();
    assert.equal(fake.builds, builds, "no rebuild");
    assert.deepEqual([fn.serviceConfig?.availableMemory, fn.serviceConfig?.maxInstanceCount], ["512M", 3]);
    assert.equal(fn.serviceConfig?.environmentVariables?.GREETING, "hi", "unmasked fields kept");
    assert.match(fn.serviceConfig!.revision!, /^api-fn-00002-/);
  });

  test("an update while another runs is ABORTED; an unknown mask path is INVALID_ARGUMENT", async () => {
    const [op] = await client.updateFunction({
      function: { name: nameOf("api-fn"), serviceConfig: { timeoutSeconds: 20 } },
      updateMask: { paths: ["service_config.timeout_seconds"] },
    });
    await assert.rejects(
      client.updateFunction({
        function: { name: nameOf("api-fn"), description: "x" },
        updateMask: { paths: ["description"] },
      }),
      (e: { code?: number }) => e.code === 10,
    );
    await op.promise();
    await assert.rejects(
      client.updateFunction({
        function: { name: nameOf("api-fn") },
        updateMask: { paths: ["service_config.no_such_field"] },
      }),
      (e: { code?: number }) => e.code === 3,
    );
  });

  test("delete: the operation polls to done, then get is NOT_FOUND and no instance is left", async () => {
    const pids = fake
      .functions()
      .find((f) => f.functionId === "api-fn")!
      .instances.map((i) => i.pid!);
    assert.ok(pids.length > 0);
    const [op] = await client.deleteFunction({ name: nameOf("api-fn") });
    assert.equal((await client.checkDeleteFunctionProgress(op.name!)).done, false);
    await op.promise();
    await assert.rejects(
      client.getFunction({ name: nameOf("api-fn") }),
      (e: { code?: number }) => e.code === 5,
    );
    assert.deepEqual(await survivors(pids, 5000), []);
    await assert.rejects(
      client.deleteFunction({ name: nameOf("api-fn") }),
      (e: { code?: number }) => e.code === 5,
    );
  });
});

describe("IAM on the v2 endpoints", () => {
  test("allUsers with roles/cloudfunctions.invoker makes a function public; run.invoker is refused; an org policy refuses allUsers", async () => {
    const fn = await createFromZip(client, fake, "iam-fn", probeZip());
    const uri = fn.serviceConfig!.uri!;
    assert.equal((await invoke(uri, {}, null)).status, 403, "private by default");
    const iam = (verb: string, body: unknown) =>
      fetch(`${fake.endpoint}/v2/${nameOf("iam-fn")}:${verb}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const policy = (role: string) => ({ policy: { bindings: [{ role, members: ["allUsers"] }] } });
    const refused = await iam("setIamPolicy", policy("roles/run.invoker"));
    assert.equal(refused.status, 400);
    fake.orgPolicyBlocksAllUsers(true);
    const blocked = await iam("setIamPolicy", policy("roles/cloudfunctions.invoker"));
    assert.deepEqual(
      [blocked.status, ((await blocked.json()) as { error: { status: string } }).error.status],
      [400, "FAILED_PRECONDITION"],
    );
    fake.orgPolicyBlocksAllUsers(false);
    assert.equal((await iam("setIamPolicy", policy("roles/cloudfunctions.invoker"))).status, 200);
    const read = (await (await iam("getIamPolicy", {})).json()) as {
      bindings: { role: string; members: string[] }[];
    };
    assert.deepEqual(read.bindings, [{ role: "roles/cloudfunctions.invoker", members: ["allUsers"] }]);
    assert.equal((await invoke(uri, { n: 1 }, null)).status, 200, "public: no token needed");
  });
});

describe("IAM on the Cloud Run service", () => {
  test("allUsers with roles/run.invoker on …/services/{id} (Cloud Run Admin v2) makes the function public; a cloudfunctions role there is refused", async () => {
    const fn = await createFromZip(client, fake, "iam-run", probeZip());
    const uri = fn.serviceConfig!.uri!;
    const service = fn.serviceConfig!.service!;
    assert.equal(service, `projects/${fake.project}/locations/${fake.region}/services/iam-run`);
    const set = (role: string) =>
      fetch(`${fake.endpoint}/v2/${service}:setIamPolicy`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ policy: { bindings: [{ role, members: ["allUsers"] }] } }),
      });
    assert.equal((await invoke(uri, {}, null)).status, 403);
    assert.equal((await set("roles/cloudfunctions.invoker")).status, 400);
    assert.equal((await set("roles/run.invoker")).status, 200);
    const read = (await (await fetch(`${fake.endpoint}/v2/${service}:getIamPolicy`)).json()) as {
      bindings: unknown[];
    };
    assert.deepEqual(read.bindings, [{ role: "roles/run.invoker", members: ["allUsers"] }]);
    assert.equal((await invoke(uri, {}, null)).status, 200);
    assert.equal(fake.functions().find((f) => f.functionId === "iam-run")!.public, true);
  });

  test("a stale etag is ABORTED (409), as IAM answers concurrent read-modify-writes", async () => {
    const name = nameOf("iam-run");
    const r = await fetch(`${fake.endpoint}/v2/${name}:setIamPolicy`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ policy: { etag: "stale", bindings: [] } }),
    });
    assert.deepEqual(
      [r.status, ((await r.json()) as { error: { status: string } }).error.status],
      [409, "ABORTED"],
    );
  });
});

describe("build failures", () => {
  const expectBuildFailure = async (id: string, zip: Uint8Array, pattern: RegExp) => {
    const storageSource = await upload(client, fake, zip);
    const [op] = await client.createFunction({
      parent,
      functionId: id,
      function: functionFor(storageSource),
    });
    await assert.rejects(op.promise(), (e: Error & { code?: number }) => {
      assert.equal(e.code, 3);
      assert.match(e.message, pattern);
      assert.match(
        e.message,
        /logs at https:\/\/console\.cloud\.google\.com\/cloud-build\/builds;region=us-central1\//,
      );
      return true;
    });
    const [fn] = await client.getFunction({ name: nameOf(id) });
    assert.ok(fn.state === "FAILED" || fn.state === protos.google.cloud.functions.v2.Function.State.FAILED);
  };

  test("a package.json without the Functions Framework fails the build", () =>
    expectBuildFailure(
      "no-framework",
      zipOf({ "package.json": JSON.stringify({ main: "index.js" }), "index.js": "" }),
      /functions-framework/,
    ));

  test("a `main` that is not in the archive fails the build", () =>
    expectBuildFailure(
      "no-main",
      zipOf({ "package.json": PACKAGE_JSON.replace("index.js", "dist/main.js"), "index.js": "" }),
      /dist\/main\.js/,
    ));

  test("an undeclared registry package fails as npm's 404; failNextBuild carries its reason", async () => {
    const pkg = JSON.stringify({
      main: "index.js",
      dependencies: { "@google-cloud/functions-framework": "5", "no-such-package-zz": "1" },
    });
    await expectBuildFailure(
      "bad-dep",
      zipOf({ "package.json": pkg, "index.js": "" }),
      /404 Not Found - GET https:\/\/registry\.npmjs\.org\/no-such-package-zz/,
    );
    fake.failNextBuild("npm ERR! code ERESOLVE");
    await expectBuildFailure("fault-build", probeZip(), /ERESOLVE/);
  });
});

describe("listing", () => {
  test("list pages: the client follows nextPageToken to every function (the earlier tests left several)", async () => {
    const [first, , response] = await client.listFunctions({ parent, pageSize: 1 }, { autoPaginate: false });
    assert.equal(first.length, 1);
    assert.ok(response?.nextPageToken, "a next page");
    const ids: string[] = [];
    for await (const fn of client.listFunctionsAsync({ parent, pageSize: 1 }))
      ids.push(fn.name!.split("/").pop()!);
    assert.deepEqual(
      ids.sort(),
      fake
        .functions()
        .map((f) => f.functionId)
        .sort(),
    );
  });
});
