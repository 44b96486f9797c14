import { test } from "node:test";
import assert from "node:assert/strict";
import { findFreeNames, SourceParseError, type FreeName } from "../../../lib/function/free-names";

const names = (source: string): string[] => findFreeNames(source).map((f) => f.name);
const where = (f: FreeName): [string, number, number] => [f.name, f.line, f.column];

test("self-contained sources report nothing", () => {
  const good = [
    "function add(a, b) { return a + b; }",
    `async function handler(event) {
      const { randomBytes } = require("crypto");
      const path = require("path");
      return randomBytes(4).toString("hex") + path.join(__dirname, event.file);
    }`,
    // hoisted var and function declarations used before their declaration
    "function f(n) { return g(n) + h; function g(x) { var y = x; return inner(); function inner() { return y; } } var h = 1; }",
    "function f() { class Counter { #n = 0; static make() { return new Counter(); } inc() { return ++this.#n; } } return Counter.make().inc(); }",
    "({ a, b: [c, ...rest] = [], ...others }, d = a + c) => { const { e = d } = others; return [a, c, rest, d, e]; }",
    `function f(items) {
      outer: for (const x of items) {
        for (let i = 0; i < 3; i++) if (x.skip) continue outer;
        try { JSON.parse(x.text); } catch (err) { return { error: err.message, key: x.missing.deep }; }
      }
      return { ok: true, [Symbol.iterator]: null };
    }`,
    `async () => {
      const t0 = performance.now();
      const r = await fetch(new URL("https://example.com"), { signal: AbortSignal.timeout(10) });
      return [Math.max(1, 2), JSON.stringify({}), process.env.HOME, Buffer.from("x"), Date.now(), arguments,
        Promise.resolve(), undefined, NaN, Infinity, structuredClone({}), t0, r, new TextEncoder(), crypto.randomUUID(),
        setTimeout, queueMicrotask, module, exports, __filename, global, globalThis];
    }`,
    "function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }",
    "function* gen() { yield* [1, 2]; }",
    "async function* stream(xs) { for await (const x of xs) yield x; }",
    "async handle(event) { return this.x + event.y; }",
    "*items() { yield 1; }",
    "get size() { return 1; }",
    "class Foo { static of() { return new Foo(); } }",
    "(x) => x // trailing comment",
  ];
  for (const source of good) assert.deepEqual(findFreeNames(source), [], source);
});

test("free names are reported once, in source order, at original positions", () => {
  const found = findFreeNames("function f(a) {\n  return helper(a) + other.x + helper(2) + a.notAName;\n}");
  assert.deepEqual(found.map(where), [
    ["helper", 2, 9],
    ["other", 2, 21],
  ]);
  assert.match(found[0].hint, /"helper" is defined outside the function/);
});

test("columns on the first line ignore the parse wrapper", () => {
  assert.deepEqual(findFreeNames("async (x) => missing(x)").map(where), [["missing", 1, 13]]);
  assert.deepEqual(findFreeNames("(x) => { if (typeof window !== 'undefined') return x; }").map(where), [
    ["window", 1, 20],
  ]);
});

test("methods: name is not bound inside, computed key is not part of the function", () => {
  assert.deepEqual(findFreeNames("run(n) { return n ? run(n - 1) : 0; }").map(where), [["run", 1, 20]]);
  assert.deepEqual(names("[key](x) { return foo(x); }"), ["foo"]);
  assert.deepEqual(names("async load(id) {\n  return db.get(id);\n}"), ["db"]);
});

test("TypeScript import aliases get a require() hint", () => {
  const found = findFreeNames("function f() { return (0, lodash_es_1.default)(os_1.EOL); }");
  assert.deepEqual(
    found.map((f) => f.name),
    ["lodash_es_1", "os_1"],
  );
  assert.match(found[0].hint, /module name may differ/);
  assert.match(found[1].hint, /call require\("os"\) inside the function/);
  assert.doesNotMatch(found[1].hint, /may differ/);
});

test("tslab's exports.x rewrite of earlier cells' names is reported", () => {
  const found = findFreeNames(
    "function h() { return exports.helper(1) + exports.helper(2) + exports?.k + Object.keys(exports).length; }",
  );
  assert.deepEqual(found.map(where), [
    ["exports.helper", 1, 22],
    ["exports.k", 1, 62],
  ]);
  assert.match(found[0].hint, /another notebook cell/);
});

test("parse failures throw SourceParseError at original positions", () => {
  const cases: [string, number, number][] = [
    ["function f() {\n  return a +;\n}", 2, 12],
    ["foo(x) {\n  return x +;\n}", 2, 12], // the method retry gets further, so its error wins
    ["function f() {", 1, 14],
    ["42", 1, 0],
    ["f), (g", 1, 0],
  ];
  for (const [source, line, column] of cases) {
    assert.throws(
      () => findFreeNames(source),
      (err: unknown) => {
        assert.ok(err instanceof SourceParseError, String(err));
        assert.deepEqual([err.line, err.column], [line, column], `${source}: ${err.message}`);
        assert.match(err.message, /not a function|\(\d+:\d+\)$/);
        return true;
      },
    );
  }
});

type TS = typeof import("typescript");
// The compiler tslab itself uses (TS 5.0), else the project's own.
function loadTypeScript(): TS {
  try {
    return require(require.resolve("@tslab/typescript-for-tslab")) as TS;
  } catch {
    return require("typescript") as TS;
  }
}

test("real TypeScript CommonJS output: import aliases and cell helpers are found", () => {
  const ts = loadTypeScript();
  const cell = `import { randomBytes } from "crypto";
import path from "path";
const helper = (n: number) => n * 2;
async function handler(event: { n?: number }) {
  return { id: randomBytes(4).toString("hex"), v: helper(event.n ?? 0), p: path.basename("/x/y") };
}`;
  const { outputText } = ts.transpileModule(cell, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const load = new Function("exports", "require", `${outputText}\nreturn handler;`);
  const handler = load({}, require) as (...args: unknown[]) => unknown;
  const source = handler.toString();

  const found = findFreeNames(source);
  assert.deepEqual(names(source), ["crypto_1", "helper", "path_1"], source);
  const lines = source.split("\n");
  for (const f of found)
    assert.ok(lines[f.line - 1].startsWith(f.name, f.column), `${f.name} at ${f.line}:${f.column}`);
  assert.match(found[0].hint, /compiles an import.*require\("crypto"\)/);
  assert.match(found[1].hint, /defined outside the function/);
  assert.match(found[2].hint, /require\("path"\)/);
});

// tslab's internal modules: not public API, so skip rather than fail if their shape changes.
interface TslabConverter {
  close(): void;
}
interface TslabExecutor {
  execute(src: string): Promise<boolean>;
  locals: Record<string, unknown>;
  close(): void;
}

test("real tslab kernel: names from an earlier cell arrive as exports.x", async (t) => {
  let createConverter: () => TslabConverter;
  let createExecutor: (root: string, convs: object, console: object) => TslabExecutor;
  try {
    ({ createConverter } = require("tslab/dist/converter"));
    ({ createExecutor } = require("tslab/dist/executor"));
  } catch {
    return t.skip("tslab internals not loadable");
  }
  const conv = createConverter();
  const quiet = { log: () => undefined, error: () => undefined };
  const exec = createExecutor(process.cwd(), { node: conv, browser: conv, close: () => conv.close() }, quiet);
  try {
    assert.ok(
      await exec.execute(`import { randomBytes } from "crypto";\nconst helper = (n: number) => n * 2;`),
    );
    assert.ok(
      await exec.execute(`const k = 1;\nfunction handler() { return randomBytes(k).length + helper(k); }`),
    );
    const source = String(exec.locals.handler);
    assert.deepEqual(names(source), ["exports.randomBytes", "k", "exports.helper"], source);
  } finally {
    exec.close();
    conv.close();
  }
});
