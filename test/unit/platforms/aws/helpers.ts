import type { TestContext } from "node:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { resolveConfig } from "../../../../lib/config/layers";
import type { Artifact, Deployment, PlatformConfig, DeployOptions } from "../../../../lib/platform";
import { AwsPlatform, type AwsPlatformOptions } from "../../../../platforms/aws";

export const ROLE = "arn:aws:iam::123456789012:role/faaslab-lambda";
export const ARN = "arn:aws:lambda:us-east-1:123456789012:function:calc_service";

/** Every LambdaClient in this process answers from here (aws-sdk-client-mock stubs the prototype). */
export const lambda = mockClient(LambdaClient);

/** An SDK service error as the SDK builds it (name = AWS error code). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode } });
}

/** The aws config a user gets from defaults.json plus a role and region (validated like in real use). */
export function awsConfig(overrides: PlatformConfig = {}): PlatformConfig {
  return resolveConfig("aws", {}, { role: ROLE, region: "us-east-1", ...overrides }, undefined);
}

/** A platform whose waits are recorded instead of slept. */
export function testPlatform(options: AwsPlatformOptions = {}): { platform: AwsPlatform; sleeps: number[] } {
  const sleeps: number[] = [];
  const platform = new AwsPlatform({
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { platform, sleeps };
}

export function artifactFile(t: TestContext, text = "exports.handler = async () => 1;\n"): Artifact {
  const dir = mkdtempSync(path.join(tmpdir(), "faaslab-aws-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "index.js");
  writeFileSync(file, text);
  return { functionName: "calc_service", hash: "h".repeat(64), path: file, bytes: Buffer.byteLength(text) };
}

export function deployed(config: PlatformConfig = awsConfig()): Deployment {
  return {
    platform: "aws",
    functionName: "calc_service",
    hash: "h".repeat(64),
    config,
    ref: {
      lambdaName: "calc_service",
      functionArn: ARN,
      region: "us-east-1",
      endpoint: null,
      functionUrl: null,
    },
    deployedAt: "2026-11-22T00:00:00.000Z",
  };
}

/** The commands sent so far, by name ("GetFunction", "CreateFunction", …). */
export function sequence(): string[] {
  return lambda.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ""));
}

/** GetFunction: not found once, then a function that is Active and up to date (ends both waiters). */
export const READY = { Configuration: { State: "Active" as const, LastUpdateStatus: "Successful" as const } };

export const collect = (): { log: (line: string) => void; lines: string[] } => {
  const lines: string[] = [];
  return { log: (line) => lines.push(line), lines };
};

/** Deploy options around a logger (aws keeps no files: the directories are never written). */
export function deployOptions(log: (line: string) => void): DeployOptions {
  return { log, dataDir: "/nonexistent/deployed", logDir: "/nonexistent/logs" };
}
