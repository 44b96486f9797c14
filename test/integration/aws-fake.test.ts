// The fake Lambda endpoint itself, driven by the raw @aws-sdk/client-lambda client over real HTTP:
// the wire format, create/update states and the SDK waiters, validation, delete and close.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ResourceConflictException,
  ResourceNotFoundException,
  InvalidParameterValueException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { isAlive, waitFor } from "../helpers/processes";
import { fastWait, HANDLER, rawFake, ROLE } from "./fake-lambda/raw-client";
import { startFakeLambda } from "./fake-lambda/server";
import { zipOf } from "./fake-lambda/zip";

const raw = rawFake();

describe("deploy: states, waiters and configuration", () => {
  test("create reports Pending once, the waiter polls until Active, and the configuration echoes back", async () => {
    await raw.client.send(
      new CreateFunctionCommand({
        FunctionName: "states_fn",
        Role: ROLE,
        Runtime: "nodejs22.x",
        Handler: "index.handler",
        Code: { ZipFile: zipOf({ "index.js": HANDLER }) },
        MemorySize: 512,
        Timeout: 5,
        Architectures: ["arm64"],
        Environment: { Variables: { GREETING: "hi" } },
      }),
    );
    await assert.rejects(
      raw.client.send(new InvokeCommand({ FunctionName: "states_fn" })),
      ResourceConflictException,
    );
    const early = await raw.client.send(new GetFunctionCommand({ FunctionName: "states_fn" }));
    assert.equal(early.Configuration?.State, "Pending");
    await waitUntilFunctionActiveV2({ client: raw.client, ...fastWait }, { FunctionName: "states_fn" });
    const c = (await raw.client.send(new GetFunctionCommand({ FunctionName: "states_fn" }))).Configuration!;
    assert.equal(c.State, "Active");
    assert.equal(c.LastUpdateStatus, "Successful");
    assert.deepEqual([c.MemorySize, c.Timeout, c.Runtime, c.Role], [512, 5, "nodejs22.x", ROLE]);
    assert.deepEqual(c.Architectures, ["arm64"]);
    assert.deepEqual(c.Environment?.Variables, { GREETING: "hi" });
    assert.equal(c.FunctionArn, "arn:aws:lambda:us-east-1:123456789012:function:states_fn");
  });

  test("an update is InProgress until polled; a second update meanwhile is a ResourceConflictException", async () => {
    await raw.client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "states_fn", MemorySize: 1024 }),
    );
    await assert.rejects(
      raw.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "states_fn", Timeout: 9 })),
      (e: unknown) => e instanceof ResourceConflictException && /update is in progress/.test(e.message),
    );
    const during = (await raw.client.send(new GetFunctionCommand({ FunctionName: "states_fn" })))
      .Configuration!;
    assert.equal(during.LastUpdateStatus, "InProgress");
    await waitUntilFunctionUpdatedV2({ client: raw.client, ...fastWait }, { FunctionName: "states_fn" });
    const { body, report } = await raw.call("states_fn", { mode: "echo" });
    assert.equal(body.env.memory, "1024");
    assert.match(report, /Memory Size: 1024 MB/);
    assert.match(report, /Init Duration: [\d.]+ ms/, "a configuration change starts a new environment");
  });

  test("new code runs after UpdateFunctionCode, on a new environment", async () => {
    const first = await raw.call("states_fn", { mode: "echo" });
    await raw.client.send(
      new UpdateFunctionCodeCommand({
        FunctionName: "states_fn",
        ZipFile: zipOf({ "index.js": HANDLER.replace("version: 1", "version: 2") }),
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: raw.client, ...fastWait }, { FunctionName: "states_fn" });
    const second = await raw.call("states_fn", { mode: "echo" });
    assert.equal(second.body.version, 2);
    assert.notEqual(second.body.pid, first.body.pid);
    assert.ok(
      await waitFor(() => !isAlive(first.body.pid as number), 2000),
      "the old environment was stopped",
    );
  });

  test("Lambda's validation: names, retired runtimes, unknown functions", async () => {
    await assert.rejects(
      raw.create("bad name!"),
      (e: Error) => e.name === "ValidationException" && /functionName/.test(e.message),
    );
    await assert.rejects(raw.create("x".repeat(65)), (e: Error) => e.name === "ValidationException");
    await assert.rejects(
      raw.create("old_node", { Runtime: "nodejs20.x" }),
      (e: unknown) =>
        e instanceof InvalidParameterValueException && /nodejs20.x is no longer supported/.test(e.message),
    );
    await assert.rejects(
      raw.client.send(new GetFunctionCommand({ FunctionName: "nope" })),
      (e: unknown) =>
        e instanceof ResourceNotFoundException &&
        e.message.includes("function:nope") &&
        e.$metadata.httpStatusCode === 404,
    );
  });
});

describe("delete and close", () => {
  test("DeleteFunction stops its environments and GetFunction is then a 404", async () => {
    await raw.create("doomed_fn");
    const { body } = await raw.call("doomed_fn", { mode: "echo" });
    await raw.client.send(new DeleteFunctionCommand({ FunctionName: "doomed_fn" }));
    await assert.rejects(
      raw.client.send(new GetFunctionCommand({ FunctionName: "doomed_fn" })),
      ResourceNotFoundException,
    );
    assert.ok(await waitFor(() => !isAlive(body.pid as number), 2000));
  });

  test("the server listens on 127.0.0.1 only, and close() stops every environment", async () => {
    assert.match(raw.fake.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const other = await startFakeLambda();
    const otherClient = new LambdaClient({ endpoint: other.endpoint, maxAttempts: 1 });
    await otherClient.send(
      new CreateFunctionCommand({
        FunctionName: "short_lived",
        Role: ROLE,
        Code: { ZipFile: zipOf({ "index.js": HANDLER }) },
      }),
    );
    await waitUntilFunctionActiveV2({ client: otherClient, ...fastWait }, { FunctionName: "short_lived" });
    await Promise.all(
      [1, 2].map(() =>
        otherClient.send(
          new InvokeCommand({ FunctionName: "short_lived", Payload: '{"mode":"sleep","ms":100}' }),
        ),
      ),
    );
    const pids = other.pids();
    assert.equal(pids.length, 2);
    otherClient.destroy();
    await other.close();
    assert.ok(pids.every((pid) => !isAlive(pid)));
  });
});
