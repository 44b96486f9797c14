import type { UpdateFunctionConfigurationCommandInput } from "@aws-sdk/client-lambda";
import { ConfigError } from "../../lib/errors";
import type { PlatformConfig } from "../../lib/platform";
import type { AwsConfig } from "./schema";

export type { AwsConfig } from "./schema";

export type UrlMode = "off" | "iam" | "public";

/** Where a deployed function lives and how to reach it (Deployment.ref; JSON-serialisable). */
export interface AwsRef {
  /** The Lambda function name (the faaslab function name). */
  lambdaName: string;
  functionArn: string | null;
  /** The region it was deployed to (resolved from the SDK's chain when the config says null). */
  region: string;
  endpoint: string | null;
  functionUrl: string | null;
}

/** Lambda runs `index.handler`: the bundle is index.js at the zip root and exports `handler`. */
export const HANDLER = "index.handler";
/** Changed by forceColdStart(): a new environment means new execution environments. */
export const NONCE_VARIABLE = "FAASLAB_NONCE";
/** Every function faaslab creates or reconfigures carries it: list() finds them by it (one call per page). */
export const FAASLAB_DESCRIPTION = "deployed by faaslab";

/** A config validated against awsSchema by lib (resolveConfig) before it reaches the adapter. */
export function awsConfig(config: PlatformConfig): AwsConfig {
  return config as AwsConfig;
}

export function awsRef(ref: Record<string, unknown>): AwsRef {
  return ref as unknown as AwsRef;
}

export function urlMode(value: AwsConfig["functionUrl"] | undefined): UrlMode {
  if (value === true || value === "iam") return "iam";
  return value === "public" ? "public" : "off";
}

/** The one knob without a usable default: reported as a config problem, with how to get one. */
export function requireRole(config: AwsConfig): string {
  if (typeof config.role === "string" && config.role !== "") return config.role;
  throw new ConfigError(
    ['"role" is required to deploy to AWS Lambda: the ARN of an execution role Lambda can assume'],
    "aws",
    'create one with `npx faaslab aws role create`, then set it in faaslab.config.json ({ "aws": { "role": "arn:aws:iam::…:role/faaslab-lambda" } }) or in cloudFunction(…, { config: { role } })',
  );
}

/** The settings shared by CreateFunction and UpdateFunctionConfiguration. */
export function configurationInput(
  lambdaName: string,
  config: AwsConfig,
  extraEnvironment: Record<string, string> = {},
): UpdateFunctionConfigurationCommandInput {
  return {
    FunctionName: lambdaName,
    Role: config.role ?? undefined,
    Handler: HANDLER,
    Description: FAASLAB_DESCRIPTION,
    Runtime: config.runtime,
    MemorySize: config.memory,
    Timeout: config.timeout,
    EphemeralStorage: { Size: config.ephemeralStorage },
    Environment: { Variables: { ...config.environment, ...extraEnvironment } },
  };
}
