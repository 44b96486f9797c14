// Finds names a function uses but does not declare: once the function is shipped alone to a remote
// runtime, those names (other cells' variables, TypeScript's import aliases) will not exist there.
import { parse, type AnyNode, type Expression, type Options } from "acorn";
import { analyze } from "eslint-scope";

export interface FreeName {
  name: string;
  /** 1-based line in the original source. */
  line: number;
  /** 0-based column in the original source. */
  column: number;
  hint: string;
}

export class SourceParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = "SourceParseError";
  }
}

// Names that exist in any Node module scope, so a function may use them without declaring them.
// Snapshot taken at load time, before user code could add globals of its own.
const ALLOWED = new Set<string>([
  // Minus the kernel's own globals (tslab's __tslab__), which no deployed function has.
  ...Object.getOwnPropertyNames(globalThis).filter((name) => !name.startsWith("__tslab")),
  ...["require", "module", "exports", "__dirname", "__filename", "process", "Buffer", "console", "global"],
  ...["globalThis", "setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval"],
  ...["clearImmediate", "queueMicrotask", "structuredClone", "fetch", "URL", "URLSearchParams"],
  ...["TextEncoder", "TextDecoder", "AbortController", "AbortSignal", "performance", "crypto"],
  ...["arguments", "undefined", "NaN", "Infinity"],
]);

const ACORN_OPTIONS: Options = {
  ecmaVersion: "latest",
  sourceType: "script",
  allowAwaitOutsideFunction: false,
  locations: true,
  ranges: true, // eslint-scope reads node.range to scope default parameters
};

type Picker = (expr: Expression) => AnyNode | undefined;

const isFunction: Picker = (expr) =>
  expr.type === "FunctionExpression" ||
  expr.type === "ArrowFunctionExpression" ||
  expr.type === "ClassExpression"
    ? expr
    : undefined;

// Method shorthand (`foo(x) {}`, `async *gen() {}`, `get x() {}`) only parses inside an object literal.
const isMethod: Picker = (expr) => {
  const prop =
    expr.type === "ObjectExpression" && expr.properties.length === 1 ? expr.properties[0] : undefined;
  return prop?.type === "Property" && (prop.method || prop.kind !== "init") ? prop.value : undefined;
};

// The newline before the closing bracket keeps a trailing `// comment` from swallowing it.
const WRAPPERS: { open: string; close: string; pick: Picker }[] = [
  { open: "(", close: "\n)", pick: isFunction },
  { open: "({", close: "\n})", pick: isMethod },
];

interface AcornSyntaxError extends SyntaxError {
  pos?: number; // offset of the error in the wrapped text
}

/**
 * Parses `source` (the text of a function expression/declaration/arrow, possibly async/generator, or a
 * method) and returns every distinct free name (first occurrence each) that will not exist remotely,
 * in source order.
 */
export function findFreeNames(source: string): FreeName[] {
  const { program, fn, open } = parseFunction(source);
  // Where tslab rewrote a reference to an earlier cell's variable as `exports.x`: offset of `exports` → x.
  const exported = exportsMembers(fn);
  const manager = analyze(program, { ecmaVersion: 2022, sourceType: "script" });
  const refs = (manager.globalScope?.through ?? [])
    .map((ref) => ref.identifier)
    // A method's computed key lies outside the function and is not shipped with it.
    .filter((id) => id.start >= fn.start && id.end <= fn.end)
    .sort((a, b) => a.start - b.start);

  const found = new Map<string, FreeName>();
  for (const id of refs) {
    const member = id.name === "exports" ? exported.get(id.start) : undefined;
    if (member === undefined && ALLOWED.has(id.name)) continue;
    const name = member === undefined ? id.name : `exports.${member}`;
    if (found.has(name)) continue;
    const { line, column } = toOriginal(source, open.length, id.start);
    found.set(name, { name, line, column, hint: hintFor(id.name, member) });
  }
  return [...found.values()];
}

function parseFunction(source: string): { program: AnyNode; fn: AnyNode; open: string } {
  let furthest: AcornSyntaxError | undefined;
  let furthestOpen = "";
  let parsedButNotFunction = false;
  for (const { open, close, pick } of WRAPPERS) {
    let program;
    try {
      program = parse(open + source + close, ACORN_OPTIONS);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      const e = err as AcornSyntaxError;
      if (!furthest || (e.pos ?? 0) > (furthest.pos ?? 0)) [furthest, furthestOpen] = [e, open];
      continue;
    }
    // Exactly one statement, so text after the function (`f), (g`) cannot sneak in.
    const stmt = program.body.length === 1 ? program.body[0] : undefined;
    const fn = stmt?.type === "ExpressionStatement" ? pick(stmt.expression) : undefined;
    if (fn) return { program, fn, open };
    parsedButNotFunction = true;
  }
  if (parsedButNotFunction || !furthest) {
    throw new SourceParseError("source is not a function, arrow function, class or method", 1, 0);
  }
  // Map the offset rather than acorn's line:column, which count the wrapper's characters.
  const { line, column } = toOriginal(source, furthestOpen.length, furthest.pos ?? furthestOpen.length);
  const message = furthest.message.replace(/\s*\(\d+:\d+\)$/, "");
  throw new SourceParseError(`${message} (${line}:${column})`, line, column);
}

/** Maps an offset in the wrapped text back to a 1-based line and 0-based column of `source`. */
function toOriginal(
  source: string,
  openLength: number,
  wrappedOffset: number,
): { line: number; column: number } {
  // Clamp: errors can be reported on the wrapper's own brackets.
  const offset = Math.min(Math.max(wrappedOffset - openLength, 0), source.length);
  const before = source.slice(0, offset).split(/\r\n|[\n\r\u2028\u2029]/);
  return { line: before.length, column: before[before.length - 1].length };
}

/** Collects `exports.name` member accesses (non-computed), keyed by the offset of `exports`. */
function exportsMembers(root: AnyNode): Map<number, string> {
  const found = new Map<number, string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== "object" || value === null || !("type" in value)) return;
    const node = value as AnyNode;
    if (
      node.type === "MemberExpression" &&
      !node.computed &&
      node.object.type === "Identifier" &&
      node.object.name === "exports" &&
      node.property.type === "Identifier"
    ) {
      found.set(node.object.start, node.property.name);
    }
    for (const [key, child] of Object.entries(node)) if (key !== "loc") visit(child);
  };
  visit(root);
  return found;
}

function hintFor(name: string, exportsMember: string | undefined): string {
  if (exportsMember !== undefined) {
    return (
      `"${exportsMember}" comes from another notebook cell (tslab compiles it as exports.${exportsMember}, ` +
      `which is empty remotely); define it inside the function body or require() it there`
    );
  }
  const alias = /^(.+)_\d+$/.exec(name);
  if (alias) {
    // TypeScript builds the alias from the module specifier, turning "-", "/", ":", "@" into "_".
    const mangled = alias[1].includes("_")
      ? " (the module name may differ: TypeScript turns - / : @ into _)"
      : "";
    return (
      `"${name}" is how TypeScript compiles an import from another cell; ` +
      `call require("${alias[1]}") inside the function instead${mangled}`
    );
  }
  return `"${name}" is defined outside the function (another cell?); define it inside the function body or require() it there`;
}
