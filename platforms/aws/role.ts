import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  waitUntilRoleExists,
} from "@aws-sdk/client-iam";
import { FaasLabError } from "../../lib/errors";
import { credentialsError, errorMessage, errorName } from "./errors";

export const DEFAULT_ROLE_NAME = "faaslab-lambda";

/** Lambda may assume the role: the only trust a function's execution role needs. */
const TRUST_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export interface ExecutionRole {
  arn: string;
  name: string;
  /** false when a role of that name existed (it was reused, and the logging policy attached). */
  created: boolean;
}

/**
 * Creates (or reuses) a minimal execution role: Lambda may assume it, and it may write the
 * function's logs (AWSLambdaBasicExecutionRole) — nothing else.
 */
export async function createExecutionRole(
  name: string = DEFAULT_ROLE_NAME,
  client?: IAMClient,
): Promise<ExecutionRole> {
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    throw new FaasLabError(`"${name}" is not a valid IAM role name`, {
      code: "INVALID_ROLE_NAME",
      phase: "config",
      platform: "aws",
      hint: "use 1–64 letters, digits and +=,.@_-",
    });
  }
  const iam = client ?? (await defaultClient());
  try {
    let arn: string;
    let created = true;
    try {
      const out = await iam.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: TRUST_POLICY,
          Description: "Execution role for functions deployed by faaslab",
          Tags: [{ Key: "created-by", Value: "faaslab" }],
        }),
      );
      arn = out.Role?.Arn ?? "";
    } catch (e) {
      if (errorName(e) !== "EntityAlreadyExistsException") throw e;
      created = false;
      const out = await iam.send(new GetRoleCommand({ RoleName: name }));
      arn = out.Role?.Arn ?? "";
      const trust = decodeURIComponent(out.Role?.AssumeRolePolicyDocument ?? "");
      if (!trust.includes("lambda.amazonaws.com")) {
        throw new FaasLabError(`role "${name}" exists but Lambda may not assume it (${arn})`, {
          code: "AWS_ROLE_NOT_ASSUMABLE",
          phase: "config",
          platform: "aws",
          hint: "pick another name (`npx faaslab aws role create <name>`) or add lambda.amazonaws.com to its trust policy",
        });
      }
    }
    // The partition (aws, aws-cn, aws-us-gov) of the managed policy is the role's own.
    const partition = /^arn:([^:]+):/.exec(arn)?.[1] ?? "aws";
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: name,
        PolicyArn: `arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`,
      }),
    );
    if (created) await waitUntilRoleExists({ client: iam, maxWaitTime: 60 }, { RoleName: name });
    return { arn, name, created };
  } catch (e) {
    if (e instanceof FaasLabError) throw e;
    throw (
      credentialsError(e, "config") ??
      new FaasLabError(`creating role "${name}" failed: ${errorName(e)}: ${errorMessage(e)}`, {
        code: "AWS_ROLE_CREATE_FAILED",
        phase: "config",
        platform: "aws",
        cause: e,
        hint: "the credentials need iam:CreateRole, iam:GetRole, iam:AttachRolePolicy and iam:TagRole",
      })
    );
  } finally {
    if (!client) iam.destroy();
  }
}

/** IAM is global, but the SDK wants a region: the chain's, else us-east-1. */
async function defaultClient(): Promise<IAMClient> {
  const probe = new IAMClient({});
  try {
    return new IAMClient({ region: await probe.config.region() });
  } catch {
    return new IAMClient({ region: "us-east-1" });
  } finally {
    probe.destroy();
  }
}
