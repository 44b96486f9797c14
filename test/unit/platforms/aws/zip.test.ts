import { test } from "node:test";
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { zipArtifact } from "../../../../platforms/aws/zip";

test("the zip holds exactly index.js with the artifact's bytes", () => {
  const bundle = new TextEncoder().encode(
    '"use strict";\nmodule.exports.handler = async () => "héllo ✓";\n'.repeat(50),
  );
  const zip = zipArtifact(bundle);
  assert.deepEqual([...zip.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], "a zip (PK header)");
  const files = unzipSync(zip);
  assert.deepEqual(Object.keys(files), ["index.js"]);
  assert.deepEqual(Buffer.from(files["index.js"]), Buffer.from(bundle));
  assert.ok(zip.byteLength < bundle.byteLength, "compressed");
});

test("the same artifact gives the same zip (fixed timestamps), readable by all (Unix 0644)", () => {
  const bundle = new TextEncoder().encode("module.exports = {};");
  const a = zipArtifact(bundle);
  assert.deepEqual(Buffer.from(zipArtifact(bundle)), Buffer.from(a));
  // Central directory entry: "version made by" high byte = 3 (Unix), external attributes = mode << 16.
  const central = Buffer.from(a).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  assert.equal(a[central + 5], 3);
  const external = Buffer.from(a).readUInt32LE(central + 38);
  assert.equal((external >>> 16) & 0o777, 0o644);
});
