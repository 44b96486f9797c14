import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { buildConfigOf, resolveConfig } from "../../../../lib/config/layers";
import { buildKeys, validateConfig } from "../../../../lib/config/schema";
import { awsSchema } from "../../../../platforms/aws/schema";
import { ConfigError } from "../../../../lib/errors";
import { packageRoot } from "../../../../lib/paths";
import { platformModule } from "../../../../platforms/aws";

const shipped = JSON.parse(
  readFileSync(path.join(packageRoot(), "platforms", "aws", "defaults.json"), "utf8"),
) as Record<string, unknown>;
const { prices, ...knobs } = shipped;

function problems(options: Record<string, unknown>): string[] {
  try {
    resolveConfig("aws", {}, options, undefined);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  return [];
}

test("defaults.json: valid, covers every field, keeps the price table", () => {
  assert.deepEqual(validateConfig(awsSchema, knobs), []);
  assert.deepEqual(Object.keys(knobs).sort(), Object.keys(awsSchema.fields).sort());
  assert.equal((prices as { model: string }).model, "aws-lambda");
  assert.equal(knobs.role, null, "role has no default: it is checked at deploy");
  assert.equal(knobs.functionUrl, false, "no function URL unless asked for");
});

test("the schema's build keys are the platform module's", () => {
  assert.deepEqual(buildKeys(awsSchema).sort(), [...platformModule.buildKeys].sort());
  assert.deepEqual(Object.keys(buildConfigOf("aws", resolveConfig("aws", {}, {}, undefined))).sort(), [
    "architecture",
    "endpoint",
    "region",
    "runtime",
  ]);
});

test("nodejs20.x is refused with the reason; other bad values are each named at once", () => {
  const found = problems({
    runtime: "nodejs20.x",
    memory: 64,
    timeout: 901,
    architecture: "x64",
    ephemeralStorage: 20000,
    role: "faaslab-lambda",
    region: "US East",
    endpoint: "localhost:4566",
    functionUrl: "NONE",
  });
  assert.equal(found.length, 9, JSON.stringify(found, null, 2));
  assert.match(
    found.find((p) => p.startsWith('"runtime"')) ?? "",
    /"nodejs20\.x" can no longer be created.*nodejs22\.x/,
  );
  assert.match(found.find((p) => p.startsWith('"memory"')) ?? "", /at least 128 MB/);
  assert.match(found.find((p) => p.startsWith('"timeout"')) ?? "", /at most 900 s/);
  assert.match(found.find((p) => p.startsWith('"architecture"')) ?? "", /x86_64/);
  assert.match(found.find((p) => p.startsWith('"role"')) ?? "", /IAM role ARN/);
  assert.match(found.find((p) => p.startsWith('"functionUrl"')) ?? "", /"public"/);
});

test("nullable knobs accept null; functionUrl takes false, true, 'iam' or 'public'", () => {
  for (const functionUrl of [false, true, "iam", "public"]) assert.deepEqual(problems({ functionUrl }), []);
  assert.deepEqual(problems({ region: null, endpoint: null, role: null }), []);
  assert.deepEqual(
    problems({
      region: "eu-west-1",
      endpoint: "http://127.0.0.1:4566",
      role: "arn:aws:iam::123456789012:role/x",
    }),
    [],
  );
  assert.match(problems({ functionUrl: "yes" })[0], /must be one of false, true, "iam", "public"/);
  assert.match(problems({ memory: null })[0], /"memory" must be a number/);
});

test("environment: Lambda's reserved variables and bad keys are refused", () => {
  assert.match(problems({ environment: { AWS_REGION: "x" } })[0], /must not set "AWS_REGION"/);
  assert.match(problems({ environment: { "my-var": "x" } })[0], /key "my-var"/);
  assert.match(problems({ environment: { BIG: "x".repeat(5000) } })[0], /at most 4096/);
  assert.deepEqual(problems({ environment: { MODE: "fast" } }), []);
});
