import { zipSync } from "fflate";

/** Lambda's limit for a zip sent in the request itself (larger packages go through S3). */
export const DIRECT_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

/** A fixed timestamp: the same artifact always gives the same zip (and the same CodeSha256). */
const FIXED_MTIME = new Date("2000-01-01T00:00:00Z");

/**
 * The deployment package: the bundle as `index.js` at the archive root (Handler `index.handler`),
 * readable by everyone (Unix mode 0644), as Lambda's runtime user needs.
 */
export function zipArtifact(bundle: Uint8Array): Uint8Array {
  return zipSync({ "index.js": [bundle, { level: 6, mtime: FIXED_MTIME, os: 3, attrs: 0o644 << 16 }] });
}
