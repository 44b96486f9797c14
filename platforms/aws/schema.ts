import { defineSchema, field, type ConfigOf } from "../../lib/config/schema";

const USE_INSTEAD = 'use "nodejs22.x" (the default) or "nodejs24.x"';

/** Variables Lambda sets itself and refuses in a function's environment, plus faaslab's own nonce. */
export const AWS_RESERVED_ENVIRONMENT: readonly string[] = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_LAMBDA_RUNTIME_API",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
  "FAASLAB_NONCE",
];

/** Lambda's limit on a function's environment: keys + values, in bytes. */
const ENVIRONMENT_LIMIT_BYTES = 4096;

export const awsSchema = defineSchema({
  platform: "aws",
  fields: {
    // Where the function lives: a change deploys it anew (there), so these count as build keys.
    /** null: the SDK's chain (AWS_REGION, the profile's region). */
    region: field.string({
      nullable: true,
      build: true,
      pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/,
      patternHint: 'be an AWS region like "us-east-1"',
    }),
    /** null: AWS (or AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL when set). */
    endpoint: field.string({
      nullable: true,
      build: true,
      pattern: /^https?:\/\/[^\s/]+(\/\S*)?$/,
      patternHint: 'be an http(s) URL like "http://127.0.0.1:4566"',
    }),
    role: field.string({
      nullable: true,
      pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
      patternHint: 'be an IAM role ARN like "arn:aws:iam::123456789012:role/faaslab-lambda"',
    }),
    memory: field.integer({ min: 128, max: 10240, unit: "MB" }),
    timeout: field.integer({ min: 1, max: 900, unit: "s" }),
    runtime: field.oneOf(["nodejs22.x", "nodejs24.x"], {
      build: true,
      rejected: {
        "nodejs20.x": `can no longer be created on AWS Lambda (creation blocked since 2026-08-31, updates since 2026-09-30): ${USE_INSTEAD}`,
        "nodejs18.x": `is retired on AWS Lambda: ${USE_INSTEAD}`,
        "nodejs16.x": `is retired on AWS Lambda: ${USE_INSTEAD}`,
      },
    }),
    architecture: field.oneOf(["arm64", "x86_64"], {
      build: true,
      rejected: { x64: 'is Node\'s name: Lambda calls it "x86_64"', amd64: 'is spelled "x86_64" on Lambda' },
    }),
    ephemeralStorage: field.integer({ min: 512, max: 10240, unit: "MB" }),
    environment: field.stringMap(),
    /** false: no URL; true or "iam": a URL that needs SigV4 (AWS_IAM); "public": anyone can call it. */
    functionUrl: field.oneOf([false, true, "iam", "public"], {
      rejected: {
        none: 'is spelled "public" here (a URL anyone can call)',
        NONE: 'is spelled "public" here (a URL anyone can call)',
        AWS_IAM: 'is spelled "iam" here (or true)',
      },
    }),
  },
  rules: [
    ({ environment }) => {
      if (!environment) return null;
      const keys = Object.keys(environment);
      const reserved = keys.filter((k) => AWS_RESERVED_ENVIRONMENT.includes(k));
      if (reserved.length)
        return `"environment" must not set ${reserved.map((k) => `"${k}"`).join(", ")}: Lambda (or faaslab) sets it`;
      const bad = keys.find((k) => !/^[a-zA-Z][a-zA-Z0-9_]+$/.test(k));
      if (bad !== undefined)
        return `"environment" key "${bad}" must start with a letter and use only letters, digits and "_" (2 characters or more)`;
      const bytes = Object.entries(environment).reduce(
        (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
        0,
      );
      return bytes > ENVIRONMENT_LIMIT_BYTES
        ? `"environment" is ${bytes} bytes; Lambda allows at most ${ENVIRONMENT_LIMIT_BYTES} (keys + values)`
        : null;
    },
  ],
});

/** The validated aws config (defaults in ./defaults.json). */
export type AwsConfig = ConfigOf<typeof awsSchema>;
