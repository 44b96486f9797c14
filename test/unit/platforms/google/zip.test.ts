import { test } from "node:test";
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { ENTRY_POINT } from "../../../../platforms/google/config";
import { zipSource } from "../../../../platforms/google/zip";

test("the source zip: package.json (main, the Functions Framework as a dependency) and index.js at the root", () => {
  const bundle = new TextEncoder().encode("exports.faaslab = () => {};\n");
  const files = unzipSync(zipSource(bundle, "calc", "nodejs22"));
  assert.deepEqual(Object.keys(files).sort(), ["index.js", "package.json"]);
  assert.deepEqual(files["index.js"], bundle);
  const pkg = JSON.parse(new TextDecoder().decode(files["package.json"])) as Record<string, unknown>;
  assert.equal(pkg.main, "index.js");
  assert.match(
    String((pkg.dependencies as Record<string, string>)["@google-cloud/functions-framework"]),
    /^\^5/,
  );
  assert.deepEqual(pkg.engines, { node: ">=22" });
  assert.equal(ENTRY_POINT, "faaslab");
});

test("the same bundle always gives the same bytes (fixed timestamps)", () => {
  const bundle = new TextEncoder().encode("x");
  assert.deepEqual(zipSource(bundle, "a", "nodejs24"), zipSource(bundle, "a", "nodejs24"));
  const pkg = JSON.parse(
    new TextDecoder().decode(unzipSync(zipSource(bundle, "a", "nodejs24"))["package.json"]),
  );
  assert.deepEqual(pkg.engines, { node: ">=24" });
});
