import { createHash } from "node:crypto";

/** Cloud Run functions ids: 1–63 lowercase letters, digits and "-", starting with a letter, not ending with "-". */
export const GOOGLE_ID_PATTERN = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
export const GOOGLE_ID_RULE =
  'Google function ids are 1–63 lowercase letters, digits and "-", start with a letter and do not end with "-"';

const MAX_ID = 63;

/**
 * The Google id of a faaslab function name. A name that already is a valid id is used as it is.
 * Any other (`hello_world`, `Calc`) is lowercased with "_" → "-" and gets "-" + 6 hex digits of the
 * sha256 of the original name, so `hello_world` and `hello-world` never share a function:
 * `hello_world` → `hello-world-<hash>`. Deterministic: the same name always maps to the same id.
 */
export function googleFunctionId(functionName: string): string {
  if (GOOGLE_ID_PATTERN.test(functionName)) return functionName;
  const suffix = createHash("sha256").update(functionName).digest("hex").slice(0, 6);
  let base = functionName.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  if (!/^[a-z]/.test(base)) base = `f-${base}`;
  base = base.slice(0, MAX_ID - suffix.length - 1).replace(/-+$/, "");
  return `${base}-${suffix}`;
}

/** The mapping in words, for logs and errors ("hello_world" (Google id "hello-world-2b1f0c")). */
export function describeId(functionName: string, id: string): string {
  return id === functionName ? `"${id}"` : `"${functionName}" (Google id "${id}")`;
}
