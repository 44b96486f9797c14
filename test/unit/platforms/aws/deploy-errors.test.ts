import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { ConfigError, FaasLabError } from "../../../../lib/errors";
import {
  ARN,
  READY,
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

const notFound = () => awsError("ResourceNotFoundException", "Function not found", 404);
const cannotAssume = () =>
  awsError(
    "InvalidParameterValueException",
    "The role defined for the function cannot be assumed by Lambda.",
  );

/** The FaasLabError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<FaasLabError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof FaasLabError, `expected a FaasLabError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a rejection");
}

beforeEach(() => {
  lambda.reset();
  lambda.on(GetFunctionCommand).rejectsOnce(notFound()).resolves(READY);
});

test("a role IAM has not propagated yet is retried with bounded backoff, then the create goes through", async (t) => {
  lambda
    .on(CreateFunctionCommand)
    .rejectsOnce(cannotAssume())
    .rejectsOnce(cannotAssume())
    .resolves({ FunctionArn: ARN });
  const { platform, sleeps } = testPlatform();
  const { log, lines } = collect();
  await platform.deploy(artifactFile(t), awsConfig(), deployOptions(log));
  assert.deepEqual(sequence(), [
    "GetFunction",
    "CreateFunction",
    "CreateFunction",
    "CreateFunction",
    "GetFunction",
  ]);
  assert.equal(sleeps.length, 2);
  assert.ok(sleeps[0] >= 500 && sleeps[0] <= 1000 && sleeps[1] >= 1000 && sleeps[1] <= 2000, String(sleeps));
  assert.equal(lines.filter((l) => /cannot be assumed yet/.test(l)).length, 2);
});

test("a role that never becomes assumable: a clear error after the bounded retries, SDK error kept as cause", async (t) => {
  lambda.on(CreateFunctionCommand).rejects(cannotAssume());
  const { platform, sleeps } = testPlatform({ roleBackoff: { attempts: 4, baseMs: 1000, maxMs: 2000 } });
  const e = await failure(platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log)));
  assert.equal(e.code, "AWS_ROLE_NOT_ASSUMABLE");
  assert.equal(e.phase, "deploy");
  assert.equal(e.platform, "aws");
  assert.match(
    e.message,
    /^\[aws\] deploy failed: role "arn:aws:iam::123456789012:role\/faaslab-lambda" cannot be assumed/,
  );
  assert.match(e.message, /tried 4 times/);
  assert.match(e.hint ?? "", /lambda\.amazonaws\.com.*faaslab aws role create/);
  assert.equal((e.cause as Error).name, "InvalidParameterValueException");
  assert.equal(lambda.commandCalls(CreateFunctionCommand).length, 4);
  assert.ok(sleeps.every((ms) => ms <= 2000));
});

test("no role: a ConfigError that says how to make one, before any AWS call", async (t) => {
  const { platform } = testPlatform();
  const e = await failure(
    platform.deploy(artifactFile(t), awsConfig({ role: null }), deployOptions(collect().log)),
  );
  assert.ok(e instanceof ConfigError);
  assert.match(e.message, /"role" is required/);
  assert.match(e.hint ?? "", /npx faaslab aws role create/);
  assert.deepEqual(sequence(), []);
});

test("no credentials: a FaasLabError with a hint, not the SDK's dump", async (t) => {
  lambda.reset();
  lambda.on(GetFunctionCommand).rejects(
    Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    }),
  );
  const { platform } = testPlatform();
  const e = await failure(platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log)));
  assert.equal(e.code, "AWS_CREDENTIALS");
  assert.match(e.message, /no AWS credentials found/);
  assert.match(e.hint ?? "", /AWS_ACCESS_KEY_ID.*AWS_PROFILE.*sso/);
  assert.equal((e.cause as Error).name, "CredentialsProviderError");
});

test("a package over the size limit (413 from Lambda, or code storage full): clear errors", async (t) => {
  lambda
    .on(CreateFunctionCommand)
    .rejectsOnce(
      awsError(
        "RequestEntityTooLargeException",
        "Request must be smaller than 69905067 bytes for the CreateFunction operation",
        413,
      ),
    );
  const { platform } = testPlatform();
  const e = await failure(platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log)));
  assert.equal(e.code, "AWS_PACKAGE_TOO_LARGE");
  assert.match(e.message, /over Lambda's size limit/);
  assert.match(e.hint ?? "", /50 MB zipped.*250 MB unzipped/);

  lambda.reset();
  lambda.on(GetFunctionCommand).resolves(READY);
  lambda
    .on(UpdateFunctionCodeCommand)
    .rejects(awsError("CodeStorageExceededException", "Code storage limit exceeded."));
  const full = await failure(platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log)));
  assert.equal(full.code, "AWS_CODE_STORAGE_FULL");
  assert.equal(full.phase, "deploy");
});

test("a bundle over the direct-upload limit (50 MB zipped) is refused before uploading", async (t) => {
  const { randomBytes } = await import("node:crypto");
  const big = artifactFile(t, randomBytes(64 * 1024).toString("latin1"));
  const { platform } = testPlatform({ maxZipBytes: 32 * 1024 });
  const e = await failure(platform.deploy(big, awsConfig(), deployOptions(collect().log)));
  assert.equal(e.code, "AWS_PACKAGE_TOO_LARGE");
  assert.match(e.message, /over Lambda's size limit \(32768 bytes at most in a direct upload\)/);
  assert.deepEqual(sequence(), []);
});

test("a name Lambda rejects: a clear error naming it", async (t) => {
  lambda
    .on(CreateFunctionCommand)
    .rejects(
      awsError(
        "ValidationException",
        "1 validation error detected: Value 'calc service' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern",
      ),
    );
  const { platform } = testPlatform();
  const e = await failure(platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log)));
  assert.equal(e.code, "AWS_INVALID_NAME");
  assert.match(e.message, /Lambda rejected the function name "calc_service"/);
  assert.match(e.hint ?? "", /1–64 letters/);
});

test("a function that ends up Failed: the waiter's reason in plain words", async (t) => {
  lambda.reset();
  lambda
    .on(GetFunctionCommand)
    .rejectsOnce(notFound())
    .resolves({
      Configuration: {
        State: "Failed",
        StateReasonCode: "InvalidZipFileException",
        StateReason: "Could not unzip",
      },
    });
  lambda.on(CreateFunctionCommand).resolves({ FunctionArn: ARN });
  const { platform } = testPlatform();
  const e = await failure(platform.deploy(artifactFile(t), awsConfig(), deployOptions(collect().log)));
  assert.equal(e.code, "AWS_FUNCTION_NOT_READY");
  assert.match(e.message, /did not become Active \(InvalidZipFileException: Could not unzip\)/);
});

test("reconfigure of a function deleted outside faaslab: says so and how to redeploy", async () => {
  lambda.on(UpdateFunctionConfigurationCommand).rejects(notFound());
  const { platform } = testPlatform();
  const e = await failure(platform.reconfigure(deployed(), awsConfig({ memory: 256 })));
  assert.equal(e.code, "AWS_FUNCTION_NOT_FOUND");
  assert.match(e.hint ?? "", /deploy\(\{ force: true \}\)/);
});
