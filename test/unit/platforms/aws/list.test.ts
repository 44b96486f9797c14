import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
} from "@aws-sdk/client-lambda";
import { FaasLabError } from "../../../../lib/errors";
import {
  READY,
  ROLE,
  artifactFile,
  awsConfig,
  awsError,
  collect,
  deployOptions,
  deployed,
  lambda,
  sequence,
  testPlatform,
} from "./helpers";

const MARK = "deployed by faaslab";

function fn(name: string, description: string | undefined, extra: FunctionConfiguration = {}) {
  return {
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    Description: description,
    ...extra,
  };
}

beforeEach(() => lambda.reset());

test("deploy and reconfigure mark the function with faaslab's Description", async (t) => {
  lambda
    .on(GetFunctionCommand)
    .rejectsOnce(awsError("ResourceNotFoundException", "Function not found", 404))
    .resolves(READY);
  lambda.on(CreateFunctionCommand).resolves({ State: "Pending" });
  lambda.on(UpdateFunctionCodeCommand).resolves({});
  lambda.on(UpdateFunctionConfigurationCommand).resolves({});
  const { platform } = testPlatform();
  await platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log));
  await platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log));
  await platform.reconfigure(deployed(), awsConfig({ memory: 2048 }));
  assert.equal(lambda.commandCalls(CreateFunctionCommand)[0].args[0].input.Description, MARK);
  const updates = lambda.commandCalls(UpdateFunctionConfigurationCommand).map((c) => c.args[0].input);
  assert.equal(updates.length, 2, "one update after the code upload, one for reconfigure");
  assert.deepEqual(
    updates.map((u) => u.Description),
    [MARK, MARK],
  );
});

test("list: every page (Marker ← NextMarker), only faaslab's functions, each removable", async () => {
  lambda
    .on(ListFunctionsCommand)
    .resolvesOnce({
      Functions: [
        fn("mine_a", MARK, {
          MemorySize: 1024,
          Timeout: 9,
          Runtime: "nodejs24.x",
          Architectures: ["x86_64"],
          Role: ROLE,
          LastModified: "2026-11-22T10:00:00.000+0000",
          Environment: { Variables: { MODE: "x", FAASLAB_NONCE: "n1" } },
        }),
        fn("theirs", "a function someone else made"),
      ],
      NextMarker: "page-2",
    })
    .resolvesOnce({ Functions: [fn("no_description", undefined)], NextMarker: "page-3" })
    .resolvesOnce({ Functions: [fn("mine_b", MARK)] });
  lambda.on(DeleteFunctionCommand).resolves({});
  const { platform } = testPlatform();
  const { log, lines } = collect();
  const listed = await platform.list(awsConfig({ memory: 256 }), { log });

  assert.deepEqual(sequence(), ["ListFunctions", "ListFunctions", "ListFunctions"]);
  assert.deepEqual(
    lambda.commandCalls(ListFunctionsCommand).map((c) => [c.args[0].input.Marker, c.args[0].input.MaxItems]),
    [
      [undefined, 50],
      ["page-2", 50],
      ["page-3", 50],
    ],
  );
  assert.deepEqual(
    listed.map((l) => l.functionName),
    ["mine_a", "mine_b"],
  );
  const [a, b] = listed;
  assert.deepEqual(
    [a.platform, a.resourceName, a.location, a.deployedAt],
    ["aws", "mine_a", "us-east-1", "2026-11-22T10:00:00.000Z"],
  );
  assert.deepEqual(a.deployment.ref, {
    lambdaName: "mine_a",
    functionArn: "arn:aws:lambda:us-east-1:123456789012:function:mine_a",
    region: "us-east-1",
    endpoint: null,
    functionUrl: null,
  });
  const config = a.deployment.config;
  assert.deepEqual(
    [config.memory, config.timeout, config.runtime, config.architecture, config.role, config.environment],
    [1024, 9, "nodejs24.x", "x86_64", ROLE, { MODE: "x" }],
    "what Lambda reports, without faaslab's nonce",
  );
  assert.equal(b.deployment.config.memory, 256, "the listing's config where Lambda says nothing");
  assert.equal(b.deployedAt, null);
  assert.ok(lines.some((l) => /list .* in us-east-1/.test(l)));

  lambda.resetHistory();
  await platform.remove(b.deployment);
  assert.deepEqual(sequence(), ["DeleteFunction"]);
  assert.equal(lambda.commandCalls(DeleteFunctionCommand)[0].args[0].input.FunctionName, "mine_b");
});

test("list at an endpoint says so in each function's location and ref", async () => {
  lambda.on(ListFunctionsCommand).resolves({ Functions: [fn("mine", MARK)] });
  const { platform } = testPlatform();
  const [one] = await platform.list(awsConfig({ endpoint: "http://127.0.0.1:9" }), { log: () => undefined });
  assert.equal(one.location, "us-east-1 at http://127.0.0.1:9");
  assert.equal(one.deployment.ref.endpoint, "http://127.0.0.1:9");
});

test("list failures are FaasLabErrors of phase list, with a hint", async () => {
  const { platform } = testPlatform();
  const quiet = { log: () => undefined };
  lambda
    .on(ListFunctionsCommand)
    .rejects(awsError("AccessDeniedException", "not authorized to perform: lambda:ListFunctions", 403));
  await assert.rejects(platform.list(awsConfig(), quiet), (e: unknown) => {
    assert.ok(e instanceof FaasLabError);
    assert.equal(e.phase, "list");
    assert.equal(e.code, "AWS_ACCESS_DENIED");
    assert.match(e.message, /^\[aws\] list failed: listing the Lambda functions in us-east-1 failed/);
    assert.match(e.message, /Hint: the credentials need lambda:ListFunctions/);
    return true;
  });
  lambda.on(ListFunctionsCommand).rejects(awsError("UnrecognizedClientException", "bad token", 403));
  await assert.rejects(platform.list(awsConfig(), quiet), { code: "AWS_CREDENTIALS", phase: "list" });
  lambda.on(ListFunctionsCommand).resolves({ Functions: [], NextMarker: "same" });
  await assert.rejects(platform.list(awsConfig(), quiet), /same NextMarker twice/);
});
