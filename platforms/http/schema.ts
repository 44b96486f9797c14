import { defineSchema, field, type ConfigOf } from "../../lib/config/schema";

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The http platform's knobs; defaults in ./defaults.json, documented in ./README.md. Secrets (a bearer
 * token, fixed header values) are not knobs: they stay in this process's memory (lib/secrets.ts), so
 * state.json and meta.json never hold them.
 */
export const httpSchema = defineSchema({
  platform: "http",
  fields: {
    /** The endpoint; a change re-attaches (it is another function). null only in defaults.json. */
    url: field.string({
      nullable: true,
      build: true,
      // No user:password@ — it would be written to state.json and meta.json; credentials go in auth.
      pattern: /^https?:\/\/[^\s/?#@]+(\/[^\s#]*)?$/,
      patternHint:
        'be an http(s) URL like "https://lab-xyz.a.run.app/fast-run", without user:password@ (use auth: { bearer } or { headers })',
    }),
    /** POST/PUT/PATCH send the payload as a JSON body; GET/DELETE send it as the query string. */
    method: field.oneOf(["POST", "GET", "PUT", "PATCH", "DELETE"], {
      rejected: { post: 'is spelled "POST"', get: 'is spelled "GET"', HEAD: "has no body to measure" },
    }),
    /** How requests are authorised; "bearer" and "headers" take their values from httpFunction's options. */
    auth: field.oneOf(["none", "google-id-token", "aws-iam", "bearer", "headers"]),
    /** A top-level (or dotted: "meta.instance") field of the JSON answer naming the instance. */
    instanceIdField: field.string({
      nullable: true,
      pattern: /^[^.\s]+(\.[^.\s]+)*$/,
      patternHint: "be a field name",
    }),
    /** A response header naming the instance. */
    instanceIdHeader: field.string({
      nullable: true,
      pattern: HEADER_NAME,
      patternHint: "be an HTTP header name",
    }),
    /** Seconds one attempt may take before it is a TimeoutError. */
    timeout: field.number({ min: 0.001, max: 3600, unit: "s" }),
    /** Tries per call when the endpoint answers 429 or 503 (1: no retry). */
    maxAttempts: field.integer({ min: 1, max: 20 }),
    /** aws-iam: the region to sign for; null: read from a Lambda function URL's host. */
    region: field.string({
      nullable: true,
      pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/,
      patternHint: 'be an AWS region like "us-east-1"',
    }),
  },
  rules: [
    ({ instanceIdField, instanceIdHeader }) =>
      instanceIdField && instanceIdHeader
        ? '"instanceIdField" and "instanceIdHeader" name two sources of the instance id: set one'
        : null,
  ],
});

export type HttpConfig = ConfigOf<typeof httpSchema>;
