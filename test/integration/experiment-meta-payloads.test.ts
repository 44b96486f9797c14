// A large payload is not copied into meta.json: its digest and size are, and load() still works.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { cloudFunction, experiment, isPayloadDigest, load } from "../../lib";
import { localSuite } from "../helpers/suite";

const { workspace, ledger } = localSuite("meta-payloads");

const measure = cloudFunction("meta_payloads", async (payload: { blob?: string; tiny?: number }) => ({
  pid: process.pid,
  length: payload.blob?.length ?? 0,
}));

test("a 20 MB payload leaves meta.json small, with the payload's sha256 and bytes in its place", async () => {
  const big = { blob: "x".repeat(20 * 1024 * 1024) };
  const bigJson = JSON.stringify(big);
  const result = await experiment(measure, {
    name: "big_payload",
    payloads: [{ tiny: 1 }, big],
    runsPerThread: 2,
  });
  result.rows.forEach((row) => ledger.add(row.pid));
  assert.deepEqual(
    result.rows.map((row) => row.length),
    [0, big.blob.length],
  );

  const metaFile = path.join(
    workspace,
    "functions",
    "meta_payloads",
    "experiments",
    "big_payload",
    "meta.json",
  );
  const size = fs.statSync(metaFile).size;
  assert.ok(size < 16 * 1024, `meta.json is ${size} bytes`);

  const back = load(measure, "big_payload");
  assert.equal(back.complete, true);
  assert.equal(back.rows.length, 2);
  const stored = back.meta.options.payloads as unknown[];
  assert.equal(stored.length, 2, "one entry per payload, same index as payloadIndex");
  assert.deepEqual(stored[0], { tiny: 1 });
  assert.ok(isPayloadDigest(stored[1]), JSON.stringify(stored[1]));
  assert.equal(stored[1].sha256, createHash("sha256").update(bigJson).digest("hex"));
  assert.equal(stored[1].bytes, Buffer.byteLength(bigJson));
  assert.equal(back.rows[1].payloadBytes, stored[1].bytes, "rows and meta agree on the size");
});
