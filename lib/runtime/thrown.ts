/**
 * What a function threw, as the envelope's error. Bundled into every shim: no Node-only imports.
 *
 * An Error (also one from another realm, e.g. made by node:vm) keeps its name, message and stack.
 * Anything else is errorType "NonErrorThrown" with the value itself as errorMessage: a string as it
 * is, any other value as its JSON — never "[object Object]". Inside that JSON a BigInt becomes "12n",
 * a reference cycle "[Circular]" and a nested Error { name, message }. A value JSON has no text for
 * (undefined, a function, a symbol) gives its String() form; one whose JSON throws (a getter or
 * toJSON that throws) says so, with the reason.
 */
import type { RemoteError } from "./envelope";

export const NON_ERROR_THROWN = "NonErrorThrown";

export function toRemoteError(thrown: unknown): RemoteError {
  if (isError(thrown)) {
    const name = safely(() => thrown.name, "Error");
    const message = safely(() => thrown.message, "");
    const stack = safely(() => thrown.stack, undefined);
    return {
      errorType: typeof name === "string" && name !== "" ? name : "Error",
      errorMessage: typeof message === "string" ? message : describeValue(message),
      stack: typeof stack === "string" ? stack : null,
    };
  }
  return { errorType: NON_ERROR_THROWN, errorMessage: describeValue(thrown), stack: null };
}

/** instanceof fails for an Error from another realm; its internal class does not. */
function isError(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === "object" &&
      value !== null &&
      Object.prototype.toString.call(value) === "[object Error]")
  );
}

/** A string as it is; anything else as JSON, or a description when JSON cannot show it. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value, jsonSafeReplacer());
  } catch (e) {
    const reason = safely(() => (isError(e) ? e.message : String(e)), "unknown reason");
    return `${kindOf(value)} that JSON cannot show (${reason})`;
  }
  return json ?? safely(() => String(value), kindOf(value));
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return value === null || typeof value !== "object" ? `a ${typeof value}` : "an object";
}

/** JSON.stringify's replacer for BigInts, reference cycles and nested Errors. */
function jsonSafeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value !== "object" || value === null) return value;
    // `this` is the object holding `value`: drop the ancestors we have left since.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(value)) return "[Circular]";
    ancestors.push(value);
    if (isError(value)) return { name: value.name, message: value.message };
    return value;
  };
}

function safely<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch {
    return fallback;
  }
}
