// meta.json keeps small payloads as sent and large ones as a digest with their size.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { resolveOptions } from "../../../lib/experiment/options";
import {
  PAYLOAD_INLINE_BYTES,
  isPayloadDigest,
  storedPayload,
} from "../../../lib/experiment/stored-payloads";

/** A payload { s: "…" } whose JSON text is exactly `bytes` bytes of UTF-8, built from `char`. */
function payloadOfBytes(bytes: number, char = "x"): { s: string } {
  const overhead = Buffer.byteLength('{"s":""}');
  const per = Buffer.byteLength(char);
  const payload = { s: char.repeat(Math.floor((bytes - overhead) / per)) };
  assert.equal(Buffer.byteLength(JSON.stringify(payload)), bytes, "test payload size");
  return payload;
}

test("up to PAYLOAD_INLINE_BYTES (4 KiB) a payload is kept as JSON gives it back", () => {
  assert.equal(PAYLOAD_INLINE_BYTES, 4096);
  const payload = payloadOfBytes(4096);
  assert.deepEqual(storedPayload(JSON.stringify(payload)), payload);
  assert.deepEqual(storedPayload(JSON.stringify({ when: new Date(0) })), {
    when: "1970-01-01T00:00:00.000Z",
  });
  assert.equal(storedPayload(undefined), null);
});

test("above it, a digest: sha256 of the JSON text and its UTF-8 bytes", () => {
  const json = JSON.stringify(payloadOfBytes(4097));
  const stored = storedPayload(json);
  assert.deepEqual(stored, {
    $faaslab: "payload-digest",
    sha256: createHash("sha256").update(json).digest("hex"),
    bytes: 4097,
  });
  assert.ok(isPayloadDigest(stored));
  assert.equal(isPayloadDigest({ $faaslab: "payload-digest" }), false);
  assert.equal(isPayloadDigest(null), false);
});

test("the threshold counts bytes, not characters", () => {
  // 1,500 "é" are 1,500 characters but 3,000 bytes; 2,100 are 4,200 bytes.
  const small = { s: "é".repeat(1500) };
  const large = { s: "é".repeat(2100) };
  assert.deepEqual(storedPayload(JSON.stringify(small)), small);
  assert.equal((storedPayload(JSON.stringify(large)) as { bytes: number }).bytes, 4208);
});

test("resolveOptions gives the stored form of every payload, index for index", () => {
  const big = payloadOfBytes(100_000);
  const resolved = resolveOptions({ payloads: [{ a: 1 }, big, undefined, { d: new Date(0) }] });
  assert.equal(resolved.payloads[1], big, "the payloads sent are untouched");
  assert.equal(resolved.storedPayloads.length, 4);
  assert.deepEqual(resolved.storedPayloads[0], { a: 1 });
  assert.ok(isPayloadDigest(resolved.storedPayloads[1]));
  assert.equal(resolved.storedPayloads[2], null);
  assert.deepEqual(resolved.storedPayloads[3], { d: "1970-01-01T00:00:00.000Z" });
});
