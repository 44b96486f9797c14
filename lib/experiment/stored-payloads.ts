import { createHash } from "node:crypto";

/**
 * meta.json keeps a payload whose JSON text is at most this many bytes (UTF-8) as it was sent; a
 * larger one is kept as a PayloadDigest, so one 50 MB payload does not make a 50 MB meta.json.
 */
export const PAYLOAD_INLINE_BYTES = 4096;

/** What meta.options.payloads[i] holds in place of a payload over PAYLOAD_INLINE_BYTES. */
export interface PayloadDigest {
  $faaslab: "payload-digest";
  /** sha256 (hex) of the payload's JSON text as sent. */
  sha256: string;
  /** Bytes of that JSON text (UTF-8): the rows' payloadBytes. */
  bytes: number;
}

/** Whether an entry of meta.options.payloads is a digest rather than the payload itself. */
export function isPayloadDigest(value: unknown): value is PayloadDigest {
  const v = value as Partial<PayloadDigest> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.$faaslab === "payload-digest" &&
    typeof v.sha256 === "string" &&
    typeof v.bytes === "number"
  );
}

/**
 * The meta.json form of one payload from its JSON text: the JSON value itself up to
 * PAYLOAD_INLINE_BYTES (null for a payload JSON drops, as in a JSON array), else its digest.
 */
export function storedPayload(json: string | undefined): unknown {
  if (json === undefined) return null;
  const bytes = Buffer.byteLength(json);
  if (bytes <= PAYLOAD_INLINE_BYTES) return JSON.parse(json) as unknown;
  const digest: PayloadDigest = {
    $faaslab: "payload-digest",
    sha256: createHash("sha256").update(json).digest("hex"),
    bytes,
  };
  return digest;
}
