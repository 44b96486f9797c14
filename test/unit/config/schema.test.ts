import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { resolveConfig } from "../../../lib/config/layers";
import { buildKeys, validateConfig, type ConfigSchema } from "../../../lib/config/schema";
import { localSchema } from "../../../platforms/local/schema";
import { ConfigError } from "../../../lib/errors";
import { packageRoot } from "../../../lib/paths";

const defaults = JSON.parse(
  readFileSync(path.join(packageRoot(), "platforms", "local", "defaults.json"), "utf8"),
) as Record<string, unknown>;

/** Resolves `options` over the local defaults and returns the ConfigError it must raise. */
function configError(options: Record<string, unknown>): ConfigError {
  try {
    resolveConfig("local", {}, options, undefined);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${JSON.stringify(options)} to be rejected`);
}

const problemAbout = (e: ConfigError, pattern: RegExp): string => {
  const found = e.problems.filter((p) => pattern.test(p));
  assert.equal(found.length, 1, `exactly one problem matches ${pattern} in ${JSON.stringify(e.problems)}`);
  return found[0];
};

test("the shipped defaults are valid against the local schema and cover every field", () => {
  assert.deepEqual(validateConfig(localSchema, defaults), []);
  assert.deepEqual(Object.keys(defaults).sort(), Object.keys(localSchema.fields).sort());
});

test("every problem is listed at once, each named, with a did-you-mean for a typo", () => {
  const e = configError({
    memory: "big",
    timeout: -1,
    concurrency: 1.5,
    memroy: 1024,
    minInstances: 5,
    maxInstances: 2,
  });
  assert.equal(e.problems.length, 5, JSON.stringify(e.problems, null, 2));
  assert.match(problemAbout(e, /^"memory"/), /number.*"big"/);
  assert.match(problemAbout(e, /^"timeout"/), /at least 0\.001.*-1/);
  assert.match(problemAbout(e, /^"concurrency"/), /whole number.*1\.5/);
  assert.match(problemAbout(e, /"memroy"/), /unknown key "memroy".*did you mean "memory"/);
  const cross = problemAbout(e, /"minInstances"/);
  assert.match(cross, /"maxInstances"/);
  assert.match(cross, /5/);
  assert.match(cross, /2/);
  for (const p of e.problems) assert.ok(e.message.includes(p), `message lists: ${p}`);
  assert.match(e.message, /5 problems/);
});

test("minInstances > maxInstances alone is one problem; equal is fine", () => {
  const e = configError({ minInstances: 3, maxInstances: 2 });
  assert.equal(e.problems.length, 1);
  assert.match(e.problems[0], /"minInstances" \(3\).*"maxInstances" \(2\)/);
  assert.doesNotThrow(() => resolveConfig("local", {}, { minInstances: 2, maxInstances: 2 }, undefined));
});

test("a cross-field rule is not run on a field that is already invalid (no double report)", () => {
  const e = configError({ minInstances: "many", maxInstances: 2 });
  assert.equal(e.problems.length, 1, JSON.stringify(e.problems));
  assert.match(e.problems[0], /^"minInstances" must be a number/);
});

test("never clamps: out-of-range values are rejected with the limit and the value, not adjusted", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ memory: 10 }, /"memory" must be at least 64 MB, got 10/],
    [{ memory: 32769 }, /"memory" must be at most 32768 MB, got 32769/],
    [{ timeout: 0 }, /"timeout" must be at least 0\.001 s, got 0/],
    [{ timeout: 3601 }, /"timeout" must be at most 3600 s/],
    [{ concurrency: 0 }, /"concurrency" must be at least 1/],
    [{ maxInstances: 257 }, /"maxInstances" must be at most 256/],
    [{ minInstances: -1 }, /"minInstances" must be at least 0/],
    [{ idleTimeout: -0.5 }, /"idleTimeout" must be at least 0/],
    [{ queueTimeout: 1e9 }, /"queueTimeout" must be at most 3600/],
  ];
  for (const [options, pattern] of cases) {
    const e = configError(options);
    assert.equal(e.problems.length, 1, JSON.stringify(e.problems));
    assert.match(e.problems[0], pattern);
  }
});

test("boundary values are accepted exactly as given", () => {
  const config = resolveConfig(
    "local",
    {},
    { memory: 64, timeout: 0.001, concurrency: 1000, idleTimeout: 0 },
    undefined,
  );
  assert.equal(config.memory, 64);
  assert.equal(config.timeout, 0.001);
  assert.equal(config.concurrency, 1000);
  assert.equal(config.idleTimeout, 0);
});

test("wrong types are named: NaN, Infinity, strings of digits, booleans, objects", () => {
  assert.match(configError({ memory: NaN }).problems[0], /"memory" must be a number/);
  assert.match(configError({ memory: "1024" }).problems[0], /"memory" must be a number, got "1024"/);
  assert.match(configError({ timeout: Infinity }).problems[0], /"timeout" must be at most 3600/);
  assert.match(configError({ concurrency: true }).problems[0], /"concurrency" must be a number, got true/);
  assert.match(configError({ maxInstances: { n: 2 } }).problems[0], /"maxInstances" must be a number/);
  assert.match(configError({ memory: null }).problems[0], /"memory"/);
});

test("environment must map names to strings", () => {
  assert.match(
    configError({ environment: { DEBUG: 1 } }).problems[0],
    /"environment\.DEBUG" must be a string, got 1/,
  );
  assert.match(
    configError({ environment: ["A=1"] }).problems[0],
    /"environment" must be an object of strings/,
  );
  assert.match(configError({ environment: "A=1" }).problems[0], /"environment" must be an object of strings/);
});

test("unknown keys: a close name is suggested, a far one lists the known keys", () => {
  assert.match(configError({ Memory: 512 }).problems[0], /unknown key "Memory" \(did you mean "memory"\?\)/);
  assert.match(configError({ timout: 5 }).problems[0], /did you mean "timeout"/);
  const far = configError({ region: "eu-west-1" }).problems[0];
  assert.match(far, /unknown key "region"/);
  for (const key of Object.keys(localSchema.fields)) assert.ok(far.includes(key), `lists ${key}: ${far}`);
});

test("names of Object.prototype members are unknown keys too", () => {
  const e = configError({ toString: 1, constructor: "x" });
  assert.equal(e.problems.length, 2, JSON.stringify(e.problems));
  assert.match(e.problems.join("\n"), /unknown key "toString"/);
  assert.match(e.problems.join("\n"), /unknown key "constructor"/);
});

test("ConfigError message: [local] config failed: <problem>. Hint: <hint>", () => {
  const e = configError({ memory: 10 });
  assert.equal(e.code, "INVALID_CONFIG");
  assert.equal(e.phase, "config");
  assert.equal(e.platform, "local");
  assert.ok(e.hint && e.hint.length > 0);
  assert.equal(e.message, `[local] config failed: ${e.problems[0]}. Hint: ${e.hint}`);
  const many = configError({ memory: 10, timeout: -1 });
  assert.match(many.message, /^\[local\] config failed: 2 problems: .+; .+\. Hint: .+$/);
});

test("validateConfig: a required field that is missing is reported", () => {
  const { memory: _m, ...withoutMemory } = defaults;
  assert.deepEqual(validateConfig(localSchema, withoutMemory), ['"memory" is required']);
});

test("validateConfig works for any schema: enum, boolean, string pattern; buildKeys lists build fields", () => {
  const schema: ConfigSchema = {
    platform: "test",
    fields: {
      arch: { type: "enum", values: ["x86_64", "arm64"], build: true },
      verbose: { type: "boolean" },
      role: { type: "string", pattern: /^arn:/ },
      runtime: { type: "string", build: true },
    },
  };
  assert.deepEqual(
    validateConfig(schema, { arch: "arm64", verbose: false, role: "arn:x", runtime: "nodejs22.x" }),
    [],
  );
  const problems = validateConfig(schema, { arch: "sparc", verbose: "yes", role: "x", runtime: 22 });
  assert.equal(problems.length, 4, JSON.stringify(problems));
  assert.match(problems.join("\n"), /"arch" must be one of "x86_64", "arm64", got "sparc"/);
  assert.match(problems.join("\n"), /"verbose" must be true or false, got "yes"/);
  assert.match(problems.join("\n"), /"role" must match/);
  assert.match(problems.join("\n"), /"runtime" must be a string, got 22/);
  assert.deepEqual(buildKeys(schema).sort(), ["arch", "runtime"]);
});
