import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { main } from "../../../../lib/cli/main";
import { FaasLabError } from "../../../../lib/errors";
import { createExecutionRole } from "../../../../platforms/aws/role";
import { awsError } from "./helpers";

const iam = mockClient(IAMClient);
const ARN = "arn:aws:iam::123456789012:role/faaslab-lambda";
const client = () =>
  new IAMClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });

beforeEach(() => {
  iam.reset();
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(GetRoleCommand).resolves({
    Role: { Arn: ARN, RoleName: "faaslab-lambda", Path: "/", RoleId: "r", CreateDate: new Date() },
  });
});

test("creates a role Lambda may assume, with the basic logging policy, and returns its ARN", async () => {
  iam.on(CreateRoleCommand).resolves({
    Role: { Arn: ARN, RoleName: "faaslab-lambda", Path: "/", RoleId: "r", CreateDate: new Date() },
  });
  const role = await createExecutionRole(undefined, client());
  assert.deepEqual(role, { arn: ARN, name: "faaslab-lambda", created: true });
  const create = iam.commandCalls(CreateRoleCommand)[0].args[0].input;
  const trust = JSON.parse(create.AssumeRolePolicyDocument ?? "{}");
  assert.deepEqual(trust.Statement, [
    { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
  ]);
  assert.equal(
    iam.commandCalls(AttachRolePolicyCommand)[0].args[0].input.PolicyArn,
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  );
});

test("an existing role for Lambda is reused; one Lambda may not assume is refused with a hint", async () => {
  iam
    .on(CreateRoleCommand)
    .rejects(awsError("EntityAlreadyExistsException", "Role with name faaslab-lambda already exists.", 409));
  const trust = encodeURIComponent('{"Statement":[{"Principal":{"Service":"lambda.amazonaws.com"}}]}');
  iam.on(GetRoleCommand).resolves({
    Role: {
      Arn: ARN,
      RoleName: "faaslab-lambda",
      Path: "/",
      RoleId: "r",
      CreateDate: new Date(),
      AssumeRolePolicyDocument: trust,
    },
  });
  assert.deepEqual(await createExecutionRole("faaslab-lambda", client()), {
    arn: ARN,
    name: "faaslab-lambda",
    created: false,
  });
  iam.on(GetRoleCommand).resolves({
    Role: {
      Arn: ARN,
      RoleName: "faaslab-lambda",
      Path: "/",
      RoleId: "r",
      CreateDate: new Date(),
      AssumeRolePolicyDocument: "%7B%7D",
    },
  });
  await assert.rejects(createExecutionRole("faaslab-lambda", client()), (e: unknown) => {
    assert.ok(e instanceof FaasLabError);
    assert.match(e.message, /exists but Lambda may not assume it/);
    return true;
  });
});

test("missing credentials or permissions: a FaasLabError with a hint", async () => {
  iam
    .on(CreateRoleCommand)
    .rejects(awsError("AccessDenied", "User is not authorized to perform: iam:CreateRole", 403));
  await assert.rejects(
    createExecutionRole("x", client()),
    /creating role "x" failed: AccessDenied.*Hint: .*iam:CreateRole/,
  );
  await assert.rejects(createExecutionRole("bad name!", client()), /not a valid IAM role name/);
});

test("`faaslab aws role create NAME` prints the ARN and how to use it", async () => {
  iam
    .on(CreateRoleCommand)
    .resolves({ Role: { Arn: ARN, RoleName: "my-role", Path: "/", RoleId: "r", CreateDate: new Date() } });
  const printed: string[] = [];
  const original = console.log;
  console.log = (text: string) => printed.push(text);
  try {
    assert.equal(await main(["aws", "role", "create", "my-role"]), 0);
  } finally {
    console.log = original;
  }
  assert.equal(iam.commandCalls(CreateRoleCommand)[0].args[0].input.RoleName, "my-role");
  assert.match(
    printed.join("\n"),
    new RegExp(`Created role my-role[\\s\\S]*${ARN}[\\s\\S]*"aws": \\{ "role"`),
  );
  const errors: string[] = [];
  const originalError = console.error;
  console.error = (text: string) => errors.push(text);
  try {
    assert.equal(await main(["aws", "role", "create", "a", "b"]), 2);
  } finally {
    console.error = originalError;
  }
  assert.match(errors.join("\n"), /usage: faaslab aws role create/);
});
