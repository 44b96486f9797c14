import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, FaasLabError, FunctionError } from "../../../lib/errors";
import { renderValue } from "../../../kernel/render";
import { messageWithoutHint } from "../../../kernel/render/error";

const STACK_LINE = /\bat .+:\d+:\d+/;

test("a FaasLabError shows name, message and hint on its own line, never the stack", () => {
  const e = new FaasLabError('role "x<y>" cannot be assumed', {
    code: "ROLE",
    phase: "deploy",
    platform: "aws",
    hint: "set aws.role in faaslab.config.json",
    cause: new Error("AccessDenied"),
  });
  assert.ok(e.stack && STACK_LINE.test(e.stack));
  const out = renderValue(e)!;
  assert.match(out.html, /<b[^>]*>FaasLabError<\/b>/);
  assert.match(out.html, /aws · deploy · ROLE/);
  assert.match(out.html, /\[aws\] deploy failed: role &quot;x&lt;y&gt;&quot; cannot be assumed\.<\/div>/);
  assert.match(out.html, /<b>Hint:<\/b> set aws\.role in faaslab\.config\.json/);
  assert.equal((out.html.match(/Hint:/g) ?? []).length, 1, "the hint is not repeated in the message");
  assert.match(out.html, /caused by Error: AccessDenied/);
  assert.doesNotMatch(out.html, STACK_LINE);
  assert.equal(out.text, `FaasLabError: ${e.message}`);
});

test("messageWithoutHint cuts only the hint the constructor appended", () => {
  const withHint = new FaasLabError("x", { code: "C", phase: "build", hint: "do y" });
  assert.equal(messageWithoutHint(withHint), "build failed: x.");
  const without = new FaasLabError("x. Hint: not a hint field", { code: "C", phase: "build" });
  assert.equal(messageWithoutHint(without), without.message);
});

test("a FunctionError shows the remote type and message, and the remote stack folded", () => {
  const remoteStack =
    "TypeError: bad <input>\n    at handler (/var/task/index.js:3:9)\n    at run (/var/task/shim.js:10:2)";
  const e = new FunctionError(
    "hello",
    "local",
    { errorType: "TypeError", errorMessage: "bad <input>", stack: remoteStack },
    {},
  );
  const html = renderValue(e)!.html;
  assert.match(html, />TypeError<\/span>: bad &lt;input&gt;<\/div>/);
  const details = html.match(/<details[^>]*>(.*)<\/details>/s);
  assert.ok(details, "the remote stack is in a <details>");
  assert.doesNotMatch(details![0], /<details[^>]* open/);
  assert.match(details![1], /at handler \(\/var\/task\/index\.js:3:9\)/);
  // Outside the folded block: no stack line, local or remote.
  assert.doesNotMatch(html.replace(details![0], ""), STACK_LINE);
});

test("a FunctionError without a remote stack has no <details>", () => {
  const e = new FunctionError(
    "hello",
    "aws",
    { errorType: "Timeout", errorMessage: "Task timed out", stack: null },
    {},
  );
  assert.doesNotMatch(renderValue(e)!.html, /<details/);
});

test("a ConfigError with several problems lists them", () => {
  const e = new ConfigError(
    ['"memory" must be at least 128', '"timeout" <= 900'],
    "aws",
    "see defaults.json",
  );
  const html = renderValue(e)!.html;
  assert.match(html, /<li>&quot;memory&quot; must be at least 128<\/li>/);
  assert.match(html, /<li>&quot;timeout&quot; &lt;= 900<\/li>/);
  assert.match(html, /<b>Hint:<\/b> see defaults\.json/);
});
