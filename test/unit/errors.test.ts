import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { ConfigError, FaasLabError, FunctionError, asFaasLabError } from "../../lib/errors";

test("FaasLabError message: [platform] phase failed: body. Hint: hint", () => {
  const e = new FaasLabError('role "x" cannot be assumed', {
    code: "ROLE",
    phase: "deploy",
    platform: "aws",
    hint: "set aws.role in faaslab.config.json",
  });
  assert.equal(
    e.message,
    '[aws] deploy failed: role "x" cannot be assumed. Hint: set aws.role in faaslab.config.json',
  );
  assert.equal(e.name, "FaasLabError");
  assert.equal(e.code, "ROLE");
  assert.equal(e.phase, "deploy");
  assert.equal(e.platform, "aws");
  assert.equal(e.hint, "set aws.role in faaslab.config.json");
  assert.ok(e instanceof Error);
});

test("FaasLabError without platform or hint has neither prefix nor hint; trailing dots are not doubled", () => {
  const e = new FaasLabError("nothing to build...", { code: "X", phase: "build" });
  assert.equal(e.message, "build failed: nothing to build.");
  assert.equal(e.platform, undefined);
  assert.equal(e.hint, undefined);
});

test("cause is kept for debugging", () => {
  const cause = new Error("ECONNREFUSED");
  const e = new FaasLabError("endpoint unreachable", {
    code: "NET",
    phase: "invoke",
    platform: "http",
    cause,
  });
  assert.equal(e.cause, cause);
});

test("util.inspect shows name, message and hint, and no stack", () => {
  const e = new FaasLabError("bundle failed", {
    code: "B",
    phase: "build",
    platform: "local",
    hint: "check the log",
  });
  const shown = inspect(e);
  assert.equal(shown, `FaasLabError: ${e.message}`);
  assert.match(shown, /Hint: check the log/);
  assert.doesNotMatch(shown, /\n\s+at /, "no stack frames");
  assert.ok(e.stack && /\n\s+at /.test(e.stack), "the stack still exists for debugging");
});

test("subclasses get their own name", () => {
  const config = new ConfigError(['"memory" must be at least 64 MB, got 10'], "local", "see the README");
  assert.equal(config.name, "ConfigError");
  assert.ok(config instanceof FaasLabError);
  assert.equal(config.code, "INVALID_CONFIG");
  assert.match(
    inspect(config),
    /^ConfigError: \[local\] config failed: "memory" must be at least 64 MB, got 10\. Hint: see the README$/,
  );
});

test("ConfigError lists every problem in the message and in problems", () => {
  const problems = [
    '"memory" must be a number, got "big"',
    '"timeout" must be at least 0.001 s, got -1',
    'unknown key "memroy"',
  ];
  const e = new ConfigError(problems, "local");
  assert.deepEqual(e.problems, problems);
  assert.equal(e.message, `[local] config failed: ${problems.length} problems: ${problems.join("; ")}.`);
});

const remoteStack = [
  "TypeError: Cannot read properties of undefined (reading 'x')",
  "    at handler (/fn/index.js:3:17)",
  "    at run (/fn/shim.js:40:9)",
  "    at a (/fn/shim.js:41:9)",
  "    at b (/fn/shim.js:42:9)",
  "    at c (/fn/shim.js:43:9)",
  "    at d (/fn/shim.js:44:9)",
  "    at e (/fn/shim.js:45:9)",
].join("\n");

test("FunctionError carries the remote error and record; message names function and error", () => {
  const record = { failed: true };
  const e = new FunctionError(
    "hello",
    "local",
    { errorType: "TypeError", errorMessage: "bad", stack: remoteStack },
    record,
  );
  assert.equal(e.message, '[local] invoke failed: function "hello" raised TypeError: bad.');
  assert.equal(e.code, "FUNCTION_ERROR");
  assert.equal(e.phase, "invoke");
  assert.equal(e.errorType, "TypeError");
  assert.equal(e.remoteMessage, "bad");
  assert.equal(e.remoteStack, remoteStack);
  assert.equal(e.record, record);
  assert.ok(e instanceof FaasLabError);
});

test("FunctionError inspect shows the first remote frames briefly, not the local stack", () => {
  const e = new FunctionError(
    "hello",
    "local",
    { errorType: "TypeError", errorMessage: "bad", stack: remoteStack },
    null,
  );
  const lines = inspect(e).split("\n");
  assert.equal(lines[0], `FunctionError: ${e.message}`);
  const frames = lines.slice(1);
  assert.ok(frames.length >= 1 && frames.length <= 5, `${frames.length} frames`);
  assert.equal(frames[0].trim(), "at handler (/fn/index.js:3:17)");
  for (const frame of frames) assert.ok(remoteStack.includes(frame.trim()), frame);
  assert.ok(!inspect(e).includes(__filename), "no local frames");
  const noStack = new FunctionError(
    "hello",
    "local",
    { errorType: "string", errorMessage: "x", stack: null },
    null,
  );
  assert.equal(inspect(noStack), `FunctionError: ${noStack.message}`);
});

test("asFaasLabError keeps FaasLabErrors and wraps anything else with its message and cause", () => {
  const original = new FaasLabError("x", { code: "A", phase: "build" });
  assert.equal(asFaasLabError(original, { code: "B", phase: "deploy" }), original);
  const cause = new Error("EACCES: permission denied");
  const wrapped = asFaasLabError(cause, { code: "DEPLOY_FAILED", phase: "deploy", platform: "local" });
  assert.equal(wrapped.message, "[local] deploy failed: EACCES: permission denied.");
  assert.equal(wrapped.cause, cause);
  assert.equal(wrapped.code, "DEPLOY_FAILED");
  const fromString = asFaasLabError("boom", { code: "C", phase: "invoke" });
  assert.equal(fromString.message, "invoke failed: boom.");
  const custom = asFaasLabError(cause, { code: "D", phase: "remove", message: "could not delete" });
  assert.equal(custom.message, "remove failed: could not delete.");
});
