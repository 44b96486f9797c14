import { test, mock, type TestContext } from "node:test";
import assert from "node:assert/strict";
import fs = require("node:fs");
import { tmpdir } from "node:os";
import * as path from "node:path";
import { FaasLabError } from "../../../lib/errors";
import { readState, writeState, STATE_VERSION, type FunctionState } from "../../../lib/function/state";

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(tmpdir(), "faaslab-state-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function sample(hash = "a".repeat(64)): FunctionState {
  return {
    version: STATE_VERSION,
    name: "hello_world",
    platform: "local",
    hash,
    config: { memory: 512, timeout: 60, environment: { A: "1" } },
    deployment: {
      platform: "local",
      functionName: "hello_world",
      hash,
      config: { memory: 512 },
      ref: { artifact: "/tmp/x.js" },
      deployedAt: "2024-05-01T10:00:00.000Z",
    },
    deployedAt: "2024-05-01T10:00:00.000Z",
    source: "async (req) => req",
    dependencies: { uuid: "9.0.0" },
  };
}

/** Writes `text` as state.json and reads it back. */
function readText(t: TestContext, text: string): FunctionState | null {
  const file = path.join(tempDir(t), "state.json");
  fs.writeFileSync(file, text);
  return readState(file);
}

test("readState: a missing file or folder means not deployed", (t) => {
  const dir = tempDir(t);
  assert.equal(readState(path.join(dir, "state.json")), null);
  assert.equal(readState(path.join(dir, "no", "such", "dir", "state.json")), null);
});

test("readState: a directory in place of the file is a FaasLabError naming it (it could never be written)", (t) => {
  const file = path.join(tempDir(t), "state.json");
  fs.mkdirSync(file);
  assert.throws(
    () => readState(file),
    (error: unknown) =>
      error instanceof FaasLabError &&
      error.code === "FILESYSTEM_ERROR" &&
      error.message.includes(`cannot read ${file}: it is a folder, where faaslab keeps a file (EISDIR)`) &&
      error.hint === `move or delete the folder ${file}; faaslab writes the file anew`,
  );
});

test("readState: empty, whitespace, invalid, truncated or non-object JSON gives null", (t) => {
  const full = JSON.stringify(sample(), null, 2);
  const corrupt = [
    "",
    "   \n",
    "{not json",
    full.slice(0, full.length - 2),
    full.slice(0, 40),
    "null",
    "42",
    '"x"',
    "[]",
    "[1,2]",
    "\u0000\u0000\u0000",
  ];
  for (const text of corrupt) assert.equal(readText(t, text), null, JSON.stringify(text.slice(0, 30)));
});

test("readState: a wrong or missing version gives null", (t) => {
  for (const version of [0, 2, STATE_VERSION + 1, "1", null]) {
    assert.equal(readText(t, JSON.stringify({ ...sample(), version })), null, `version ${String(version)}`);
  }
  const { version: _v, ...unversioned } = sample();
  assert.equal(readText(t, JSON.stringify(unversioned)), null);
});

test("readState: each missing required field gives null", (t) => {
  const fields = Object.keys(sample()) as (keyof FunctionState)[];
  for (const field of fields) {
    const broken: Record<string, unknown> = { ...sample() };
    delete broken[field];
    assert.equal(readText(t, JSON.stringify(broken)), null, `missing ${field}`);
  }
});

test("readState: fields of the wrong type give null", (t) => {
  const cases: [string, unknown][] = [
    ["name", 7],
    ["hash", null],
    ["platform", 1],
    ["config", "memory=512"],
    ["config", null],
    ["deployment", null],
    ["deployment", { ...sample().deployment, ref: null }],
    ["deployedAt", 1714557600000],
    ["dependencies", null],
    ["dependencies", "uuid"],
    ["source", 12],
  ];
  for (const [field, value] of cases) {
    assert.equal(
      readText(t, JSON.stringify({ ...sample(), [field]: value })),
      null,
      `${field}: ${JSON.stringify(value)}`,
    );
  }
});

test("readState: a state loaded from another notebook without its source is valid (source null)", (t) => {
  const state = { ...sample(), source: null };
  assert.deepEqual(readText(t, JSON.stringify(state)), state);
});

test("writeState round-trips and creates missing folders", (t) => {
  const file = path.join(tempDir(t), "functions", "hello_world", "state.json");
  const state = sample();
  writeState(file, state);
  assert.deepEqual(readState(file), state);
  assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), state, "the file is plain JSON of the state");
  const next = sample("b".repeat(64));
  writeState(file, next);
  assert.deepEqual(readState(file), next, "a second write replaces the first");
});

test("writeState leaves no temp file next to state.json", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "state.json");
  for (let i = 0; i < 3; i++) writeState(file, sample(String(i).repeat(64)));
  assert.deepEqual(fs.readdirSync(dir), ["state.json"]);
});

test("writeState writes a temp file in the same folder and renames it over state.json", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "state.json");
  writeState(file, sample());
  const renames: [string, string][] = [];
  const spy = mock.method(fs, "renameSync", (from: fs.PathLike, to: fs.PathLike) => {
    renames.push([String(from), String(to)]);
    // at rename time the new content is complete in the temp file and the old one is untouched
    assert.deepEqual(JSON.parse(fs.readFileSync(from, "utf8")), sample("c".repeat(64)));
    assert.deepEqual(readState(file), sample());
    spy.mock.restore();
    fs.renameSync(from, to);
  });
  t.after(() => spy.mock.restore());
  writeState(file, sample("c".repeat(64)));
  assert.equal(renames.length, 1, "exactly one rename");
  const [from, to] = renames[0];
  assert.equal(to, file);
  assert.equal(path.dirname(from), dir, "temp file in the same folder (rename stays on one filesystem)");
  assert.notEqual(from, file);
  assert.ok(path.basename(from).startsWith("state.json."), path.basename(from));
  assert.deepEqual(readState(file), sample("c".repeat(64)));
});

test("writeState: a failed rename keeps the previous state and removes its temp file", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "state.json");
  writeState(file, sample());
  const spy = mock.method(fs, "renameSync", () => {
    throw Object.assign(new Error("EXDEV: simulated"), { code: "EXDEV" });
  });
  t.after(() => spy.mock.restore());
  assert.throws(() => writeState(file, sample("d".repeat(64))), /simulated/);
  spy.mock.restore();
  assert.deepEqual(readState(file), sample(), "previous content survives");
  assert.deepEqual(fs.readdirSync(dir), ["state.json"], "no temp file left behind");
});

test("writeState: a failed temp write (disk full) keeps the previous state and leaves no partial file", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "state.json");
  writeState(file, sample());
  const realWrite = fs.writeFileSync;
  const spy = mock.method(fs, "writeFileSync", (target: fs.PathOrFileDescriptor, data: string) => {
    realWrite(target, data.slice(0, 10)); // a partial write, then the disk fills up
    throw Object.assign(new Error("ENOSPC: simulated"), { code: "ENOSPC" });
  });
  t.after(() => spy.mock.restore());
  assert.throws(() => writeState(file, sample("e".repeat(64))), /ENOSPC/);
  spy.mock.restore();
  assert.deepEqual(readState(file), sample());
  assert.deepEqual(fs.readdirSync(dir), ["state.json"]);
});
