import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { artifactHash, runtimeFingerprint, type HashInputs } from "../../../lib/function/hash";
import { hashFor, stableKey } from "../../../lib/function/deployer";
import { platformModule } from "../../../lib/registry";
import { packageRoot } from "../../../lib/paths";

const base: HashInputs = {
  source: "async (req) => ({ message: `Hello ${req.name}!` })",
  dependencies: { lodash: "4.17.21", uuid: "^9.0.0" },
  runtime: "0.1.0+abcdef",
  platform: "local",
  buildConfig: { arch: "x86_64", bundle: { minify: false, target: "node22" } },
};
const baseHash = artifactHash(base);
const with_ = (patch: Partial<HashInputs>): string => artifactHash({ ...base, ...patch });

test("artifactHash: same inputs give the same sha256 hex digest, also from separately built objects", () => {
  assert.match(baseHash, /^[0-9a-f]{64}$/);
  assert.equal(artifactHash(base), baseHash);
  const copy: HashInputs = JSON.parse(JSON.stringify(base)) as HashInputs;
  assert.equal(artifactHash(copy), baseHash);
});

test("artifactHash: any change in the source changes the hash, even one whitespace character", () => {
  const variants = [
    base.source + " ",
    base.source + "\n",
    base.source.replace("=>", "=>  "),
    base.source.replace("\n", "\r\n") + "\t",
    base.source.replace("Hello", "Hullo"),
  ];
  const hashes = variants.map((source) => with_({ source }));
  for (const h of hashes) assert.notEqual(h, baseHash);
  assert.equal(new Set(hashes).size, variants.length, "every variant hashes differently");
});

test("artifactHash: dependency name or version changes the hash", () => {
  assert.notEqual(with_({ dependencies: { lodash: "4.17.20", uuid: "^9.0.0" } }), baseHash);
  assert.notEqual(with_({ dependencies: { "lodash-es": "4.17.21", uuid: "^9.0.0" } }), baseHash);
  assert.notEqual(with_({ dependencies: { lodash: "4.17.21" } }), baseHash);
  assert.notEqual(with_({ dependencies: { ...base.dependencies, chalk: "5.0.0" } }), baseHash);
  assert.notEqual(with_({ dependencies: {} }), baseHash);
});

test("artifactHash: platform, runtime fingerprint and build config each change the hash", () => {
  assert.notEqual(with_({ platform: "aws" }), baseHash);
  assert.notEqual(with_({ runtime: "0.1.1+abcdef" }), baseHash);
  assert.notEqual(with_({ runtime: "0.1.0+abcdee" }), baseHash);
  assert.notEqual(with_({ buildConfig: { ...base.buildConfig, arch: "arm64" } }), baseHash);
  assert.notEqual(
    with_({ buildConfig: { arch: "x86_64", bundle: { minify: true, target: "node22" } } }),
    baseHash,
  );
  assert.notEqual(with_({ buildConfig: { arch: "x86_64" } }), baseHash);
});

test("artifactHash: fields cannot be confused with one another", () => {
  // a value moved from one field to another must not produce the same canonical text
  const a = artifactHash({ ...base, source: "x", runtime: "y" });
  const b = artifactHash({ ...base, source: "y", runtime: "x" });
  assert.notEqual(a, b);
  const c = artifactHash({ ...base, dependencies: { a: "1" }, buildConfig: {} });
  const d = artifactHash({ ...base, dependencies: {}, buildConfig: { a: "1" } });
  assert.notEqual(c, d);
});

test("artifactHash: the order of dependencies and of config keys does not matter (also nested)", () => {
  const reordered: HashInputs = {
    buildConfig: { bundle: { target: "node22", minify: false }, arch: "x86_64" },
    platform: "local",
    runtime: base.runtime,
    dependencies: { uuid: "^9.0.0", lodash: "4.17.21" },
    source: base.source,
  };
  assert.deepEqual(Object.keys(reordered.dependencies), ["uuid", "lodash"]);
  assert.equal(artifactHash(reordered), baseHash);
});

test("stableKey: key order is irrelevant at every depth, values and arrays are not", () => {
  const a = { memory: 512, environment: { B: "2", A: "1" }, list: [3, 1] };
  const b = { list: [3, 1], environment: { A: "1", B: "2" }, memory: 512 };
  assert.equal(stableKey(a), stableKey(b));
  assert.notEqual(stableKey(a), stableKey({ ...b, memory: 1024 }));
  assert.notEqual(stableKey(a), stableKey({ ...b, environment: { A: "1", B: "3" } }));
  assert.notEqual(stableKey(a), stableKey({ ...b, list: [1, 3] }));
  assert.deepEqual(JSON.parse(stableKey(a)), a, "stableKey is still the JSON of the value");
});

const localSource = "async function hello(req) { return { message: 'Hello ' + req.name }; }";
const localConfig = { memory: 512, timeout: 60, concurrency: 1, environment: {} };

test("hashFor('local'): deterministic; source and dependencies enter the hash", () => {
  const h = hashFor("local", localSource, { uuid: "9.0.0" }, localConfig);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(hashFor("local", localSource, { uuid: "9.0.0" }, { ...localConfig }), h);
  assert.notEqual(hashFor("local", localSource + " ", { uuid: "9.0.0" }, localConfig), h);
  assert.notEqual(hashFor("local", localSource, { uuid: "9.0.1" }, localConfig), h);
  assert.notEqual(hashFor("local", localSource, { uuidx: "9.0.0" }, localConfig), h);
  assert.equal(
    hashFor("local", localSource, { b: "1", a: "2" }, localConfig),
    hashFor("local", localSource, { a: "2", b: "1" }, localConfig),
  );
});

test("hashFor('local'): config that does not change the artifact (memory, timeout, environment) is not hashed", () => {
  assert.deepEqual(platformModule("local").buildKeys, [], "premise: local has no build-affecting keys");
  const h = hashFor("local", localSource, {}, localConfig);
  assert.equal(hashFor("local", localSource, {}, { ...localConfig, memory: 2048 }), h);
  assert.equal(hashFor("local", localSource, {}, { ...localConfig, timeout: 5, concurrency: 8 }), h);
  assert.equal(hashFor("local", localSource, {}, { ...localConfig, environment: { X: "1" } }), h);
});

test("hashFor('local') equals artifactHash of the platform, the runtime fingerprint and no build config", () => {
  const module = platformModule("local");
  const expected = artifactHash({
    source: localSource,
    dependencies: {},
    runtime: runtimeFingerprint(module.shimEntry),
    platform: "local",
    buildConfig: {},
  });
  assert.equal(hashFor("local", localSource, {}, localConfig), expected);
});

test("runtimeFingerprint: stable across calls, starts with the package version", () => {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
    version: string;
  };
  const shim = platformModule("local").shimEntry as string;
  const first = runtimeFingerprint(shim);
  assert.ok(first.startsWith(`${pkg.version}+`), `${first} starts with ${pkg.version}+`);
  assert.match(first.slice(pkg.version.length + 1), /^[0-9a-f]{16}$/);
  assert.equal(runtimeFingerprint(shim), first);
  // a different entry name in the same folder is not cached yet: recomputing gives the same value
  assert.equal(runtimeFingerprint(path.join(path.dirname(shim), "another-entry.js")), first);
});

test("runtimeFingerprint: editing a file of the platform shim changes it", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "faaslab-fp-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const shimDir = path.join(dir, "myplatform", "shim");
  mkdirSync(shimDir, { recursive: true });
  writeFileSync(path.join(shimDir, "worker.js"), "module.exports = 1;\n");
  writeFileSync(path.join(dir, "myplatform", "index.js"), "exports.x = 1;\n");
  const before = runtimeFingerprint(path.join(shimDir, "worker.js"));
  writeFileSync(path.join(shimDir, "worker.js"), "module.exports = 2;\n");
  // the cache is keyed by entry path: a second name in the same folder forces a fresh computation
  const afterShimEdit = runtimeFingerprint(path.join(shimDir, "entry2.js"));
  assert.notEqual(afterShimEdit, before);
  writeFileSync(path.join(dir, "myplatform", "index.js"), "exports.x = 2;\n");
  const afterAdapterEdit = runtimeFingerprint(path.join(shimDir, "entry3.js"));
  assert.notEqual(afterAdapterEdit, afterShimEdit);
  writeFileSync(path.join(shimDir, "notes.txt"), "not code");
  assert.equal(
    runtimeFingerprint(path.join(shimDir, "entry4.js")),
    afterAdapterEdit,
    "non-code files are ignored",
  );
});
