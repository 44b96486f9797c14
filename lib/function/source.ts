import { FaasLabError } from "../errors";
import { findFreeNames, SourceParseError } from "./free-names";

/** How compiled code names an import of faaslab itself (tslab/tsc: faaslab_1, esbuild: import_faaslab). */
const FAASLAB_IMPORT = /^(faaslab(_\d+)?|import_faaslab\d*)$/;

/** tslab compiles a name imported in an earlier cell as `exports.<name>`; these come from the runtime. */
const RUNTIME_EXPORT = /^exports\.(Inspector)$/;

export interface CheckedSource {
  source: string;
  /** Names of faaslab imports used in the body; the build binds them to the in-function runtime. */
  faaslabImports: string[];
  /** faaslab runtime exports used as `exports.<name>` (imported in another cell); bound the same way. */
  runtimeExports: string[];
}

export function captureSource(fn: (...args: never[]) => unknown): string {
  return Function.prototype.toString.call(fn);
}

/**
 * A deployed function runs alone: any name from the notebook's scope will not exist there. Reject
 * them all at once, before building, with the fix for each.
 */
export function checkSource(functionName: string, source: string): CheckedSource {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new FaasLabError(
      `"${functionName}" is a native or bound function, whose source cannot be shipped`,
      {
        code: "NO_SOURCE",
        phase: "build",
        hint: "pass the function itself (not fn.bind(...)), or use the source option",
      },
    );
  }
  let names;
  try {
    names = findFreeNames(source);
  } catch (e) {
    if (!(e instanceof SourceParseError)) throw e;
    throw new FaasLabError(`the source of "${functionName}" does not parse: ${e.message}`, {
      code: "SOURCE_PARSE",
      phase: "build",
      cause: e,
      hint: "pass a function expression, arrow function or function declaration",
    });
  }
  const faaslabImports = names.filter((n) => FAASLAB_IMPORT.test(n.name)).map((n) => n.name);
  const runtimeExports = names.map((n) => RUNTIME_EXPORT.exec(n.name)?.[1]).filter((n): n is string => !!n);
  const missing = names.filter((n) => !FAASLAB_IMPORT.test(n.name) && !RUNTIME_EXPORT.test(n.name));
  if (missing.length) {
    const list = missing.map((n) => `"${n.name}" (line ${n.line})`).join(", ");
    throw new FaasLabError(
      `"${functionName}" uses ${missing.length === 1 ? "a name" : "names"} that will not exist where it runs: ${list}`,
      {
        code: "UNRESOLVED_NAMES",
        phase: "build",
        hint: [...new Set(missing.map((n) => n.hint.replace(/\.$/, "")))].join("; "),
      },
    );
  }
  return { source, faaslabImports, runtimeExports };
}
