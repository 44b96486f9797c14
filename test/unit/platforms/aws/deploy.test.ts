import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionCommand,
  RemovePermissionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import {
  ARN,
  READY,
  ROLE,
  artifactFile,
  awsConfig,
  awsError,
  collect,
  deployed,
  lambda,
  sequence,
  testPlatform,
  deployOptions,
} from "./helpers";

beforeEach(() => {
  lambda.reset();
  lambda.on(CreateFunctionCommand).resolves({ FunctionArn: ARN, State: "Pending" });
  lambda.on(UpdateFunctionCodeCommand).resolves({ FunctionArn: ARN });
  lambda.on(UpdateFunctionConfigurationCommand).resolves({ FunctionArn: ARN });
  lambda.on(DeleteFunctionUrlConfigCommand).rejects(awsError("ResourceNotFoundException", "no url", 404));
});

test("first deploy: GetFunction (not found) → CreateFunction → wait Active", async (t) => {
  lambda
    .on(GetFunctionCommand)
    .rejectsOnce(awsError("ResourceNotFoundException", "Function not found", 404))
    .resolves(READY);
  const { platform } = testPlatform();
  const { log, lines } = collect();
  const config = awsConfig({ memory: 1024, environment: { MODE: "x" } });
  const d = await platform.deploy(artifactFile(t, "module.exports.handler = 1;"), config, deployOptions(log));

  assert.deepEqual(sequence(), ["GetFunction", "CreateFunction", "GetFunction"]);
  const input = lambda.commandCalls(CreateFunctionCommand)[0].args[0].input;
  assert.equal(input.FunctionName, "calc_service");
  assert.equal(input.Role, ROLE);
  assert.equal(input.Handler, "index.handler");
  assert.equal(input.Runtime, "nodejs22.x");
  assert.equal(input.PackageType, "Zip");
  assert.deepEqual(input.Architectures, ["arm64"]);
  assert.equal(input.MemorySize, 1024);
  assert.equal(input.Timeout, 3);
  assert.deepEqual(input.EphemeralStorage, { Size: 512 });
  assert.deepEqual(input.Environment, { Variables: { MODE: "x" } });
  const files = unzipSync(input.Code?.ZipFile as Uint8Array);
  assert.deepEqual(Object.keys(files), ["index.js"]);
  assert.equal(Buffer.from(files["index.js"]).toString(), "module.exports.handler = 1;");

  assert.equal(d.platform, "aws");
  assert.deepEqual(d.ref, {
    lambdaName: "calc_service",
    functionArn: ARN,
    region: "us-east-1",
    endpoint: null,
    functionUrl: null,
  });
  assert.ok(lines.some((l) => /creating calc_service/.test(l)) && lines.some((l) => /Active/.test(l)));
});

test("update: GetFunction → UpdateFunctionCode (with architecture) → wait → UpdateFunctionConfiguration → wait", async (t) => {
  lambda.on(GetFunctionCommand).resolves(READY);
  const { platform } = testPlatform();
  const config = awsConfig({ architecture: "x86_64", runtime: "nodejs24.x", timeout: 30 });
  await platform.deploy(artifactFile(t), config, deployOptions(collect().log));

  assert.deepEqual(sequence(), [
    "GetFunction",
    "UpdateFunctionCode",
    "GetFunction",
    "UpdateFunctionConfiguration",
    "GetFunction",
    // functionUrl is off: a URL left by an earlier config is deleted (none here: not found, fine)
    "DeleteFunctionUrlConfig",
  ]);
  const code = lambda.commandCalls(UpdateFunctionCodeCommand)[0].args[0].input;
  assert.deepEqual(code.Architectures, ["x86_64"], "the architecture applies on update too");
  assert.equal(code.Publish, false);
  assert.ok(code.ZipFile instanceof Uint8Array);
  const conf = lambda.commandCalls(UpdateFunctionConfigurationCommand)[0].args[0].input;
  assert.equal(conf.Runtime, "nodejs24.x");
  assert.equal(conf.Timeout, 30);
  assert.equal(conf.Role, ROLE);
});

test("update waits for an update still in progress before sending code", async (t) => {
  lambda
    .on(GetFunctionCommand)
    .resolvesOnce({ Configuration: { State: "Active", LastUpdateStatus: "InProgress" } })
    .resolves(READY);
  const { platform } = testPlatform();
  await platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log));
  assert.deepEqual(sequence().slice(0, 3), ["GetFunction", "GetFunction", "UpdateFunctionCode"]);
});

test("reconfigure: UpdateFunctionConfiguration only, then wait; no code upload", async () => {
  lambda.on(GetFunctionCommand).resolves(READY);
  const { platform } = testPlatform();
  const next = await platform.reconfigure(deployed(), awsConfig({ memory: 2048 }));
  assert.deepEqual(sequence(), ["UpdateFunctionConfiguration", "GetFunction"]);
  assert.equal(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0].args[0].input.MemorySize, 2048);
  assert.equal(next.config.memory, 2048);
  assert.equal(next.deployedAt, deployed().deployedAt);
});

test("remove: DeleteFunction; a function that is already gone is fine", async () => {
  const { platform } = testPlatform();
  lambda
    .on(DeleteFunctionCommand)
    .resolvesOnce({})
    .rejects(awsError("ResourceNotFoundException", "gone", 404));
  await platform.remove(deployed());
  await platform.remove(deployed());
  assert.deepEqual(sequence(), ["DeleteFunction", "DeleteFunction"]);
  assert.equal(lambda.commandCalls(DeleteFunctionCommand)[0].args[0].input.FunctionName, "calc_service");
});

test("forceColdStart: a new FAASLAB_NONCE in the environment (keeping the user's), then wait", async () => {
  lambda.on(GetFunctionCommand).resolves(READY);
  const { platform } = testPlatform();
  const d = deployed(awsConfig({ environment: { KEEP: "me" } }));
  await platform.forceColdStart(d);
  await platform.forceColdStart(d);
  assert.deepEqual(sequence(), [
    "UpdateFunctionConfiguration",
    "GetFunction",
    "UpdateFunctionConfiguration",
    "GetFunction",
  ]);
  const [a, b] = lambda
    .commandCalls(UpdateFunctionConfigurationCommand)
    .map((c) => c.args[0].input.Environment?.Variables ?? {});
  assert.equal(a.KEEP, "me");
  assert.ok(a.FAASLAB_NONCE && b.FAASLAB_NONCE && a.FAASLAB_NONCE !== b.FAASLAB_NONCE);
});

test("a busy function (ResourceConflictException) is waited for and the update retried", async () => {
  lambda.on(GetFunctionCommand).resolves(READY);
  lambda
    .on(UpdateFunctionConfigurationCommand)
    .rejectsOnce(awsError("ResourceConflictException", "An update is in progress for resource", 409))
    .resolves({ FunctionArn: ARN });
  const { platform } = testPlatform();
  await platform.reconfigure(deployed(), awsConfig());
  assert.deepEqual(sequence(), [
    "UpdateFunctionConfiguration",
    "GetFunction",
    "UpdateFunctionConfiguration",
    "GetFunction",
  ]);
});

test("functionUrl: off by default; 'iam' creates an AWS_IAM URL; 'public' also grants the two public permissions", async (t) => {
  lambda
    .on(GetFunctionCommand)
    .rejectsOnce(awsError("ResourceNotFoundException", "nf", 404))
    .resolves(READY);
  lambda
    .on(CreateFunctionUrlConfigCommand)
    .resolves({ FunctionUrl: "https://abc.lambda-url.us-east-1.on.aws/" });
  const { platform } = testPlatform();
  const d = await platform.deploy(
    artifactFile(t),
    awsConfig({ functionUrl: "iam" }),
    deployOptions(collect().log),
  );
  assert.equal(lambda.commandCalls(CreateFunctionUrlConfigCommand)[0].args[0].input.AuthType, "AWS_IAM");
  assert.equal(d.ref.functionUrl, "https://abc.lambda-url.us-east-1.on.aws/");
  assert.equal(lambda.commandCalls(AddPermissionCommand).length, 0, "an IAM URL grants nothing to *");

  lambda.on(CreateFunctionUrlConfigCommand).rejects(awsError("ResourceConflictException", "exists", 409));
  const { UpdateFunctionUrlConfigCommand } = await import("@aws-sdk/client-lambda");
  lambda
    .on(UpdateFunctionUrlConfigCommand)
    .resolves({ FunctionUrl: "https://abc.lambda-url.us-east-1.on.aws/" });
  const pub = await platform.reconfigure(d, awsConfig({ functionUrl: "public" }));
  assert.equal(lambda.commandCalls(UpdateFunctionUrlConfigCommand)[0].args[0].input.AuthType, "NONE");
  const grants = lambda.commandCalls(AddPermissionCommand).map((c) => c.args[0].input);
  assert.deepEqual(
    grants.map((g) => [g.Action, g.Principal]),
    [
      ["lambda:InvokeFunctionUrl", "*"],
      ["lambda:InvokeFunction", "*"],
    ],
  );

  lambda.on(DeleteFunctionUrlConfigCommand).resolves({});
  lambda.on(RemovePermissionCommand).resolves({});
  const before = sequence().length;
  const off = await platform.reconfigure(pub, awsConfig({ functionUrl: false }));
  assert.deepEqual(sequence().slice(before), [
    "UpdateFunctionConfiguration",
    "GetFunction",
    "DeleteFunctionUrlConfig",
    "RemovePermission",
    "RemovePermission",
  ]);
  assert.equal(off.ref.functionUrl, null);
});
