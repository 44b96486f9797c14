// The local platform's deployed copies and holds, on real files: verify() accepts only the function's
// own intact copy, a hold keeps the bytes after the copy is deleted, a change is noticed, and the
// clean-up spares the holds of live processes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Deployment } from "../../../lib/platform";
import { FaasLabError } from "../../../lib/errors";
import { checkRef, copyName, publish, removeCopies } from "../../../platforms/local/artifacts";
import { ArtifactHolds } from "../../../platforms/local/holds";
import { removeDir, tempDir } from "../../helpers/workspace";

const root = tempDir("local-artifacts");
after(() => removeDir(root));
const hash = "ab".repeat(32);

/** A function directory with a built artifact published into deployed/, as deploy() does. */
function deployed(name: string) {
  const dirs = { dataDir: path.join(root, name, "deployed"), logDir: path.join(root, name, "logs") };
  fs.mkdirSync(dirs.dataDir, { recursive: true });
  const built = path.join(root, name, "index.js");
  fs.writeFileSync(built, "module.exports = 42;\n");
  const { file, sha256 } = publish(built, dirs.dataDir, hash);
  const ref = { artifact: file, log: path.join(dirs.logDir, "instances.log"), sha256 };
  const deployment: Deployment = {
    platform: "local",
    functionName: name,
    hash,
    config: {},
    ref,
    deployedAt: "",
  };
  return {
    dirs,
    ref,
    deployment,
    with: (changes: Record<string, unknown>) => ({ ...deployment, ref: { ...ref, ...changes } }),
  };
}

test("verify: the function's own intact copy is ok; missing or changed bytes are gone", () => {
  const d = deployed("intact");
  assert.equal(path.basename(d.ref.artifact), copyName(hash));
  assert.deepEqual(checkRef(d.deployment, d.dirs), { status: "ok" });
  fs.appendFileSync(d.ref.artifact, "// edited\n");
  assert.equal(checkRef(d.deployment, d.dirs).status, "gone");
  fs.rmSync(d.ref.artifact);
  assert.match(JSON.stringify(checkRef(d.deployment, d.dirs)), /"gone".*is missing/);
});

test("verify: anything naming a file outside the function's directories is untrusted", () => {
  const d = deployed("outside");
  const elsewhere = path.join(root, "elsewhere.js");
  fs.writeFileSync(elsewhere, "module.exports = 0;\n");
  const cases: [string, Deployment][] = [
    ["artifact elsewhere", d.with({ artifact: elsewhere })],
    [
      "another function's copy",
      d.with({ artifact: `${d.dirs.dataDir}/../../other/deployed/${copyName(hash)}` }),
    ],
    ["another hash's name", d.with({ artifact: path.join(d.dirs.dataDir, copyName("cd".repeat(32))) })],
    ["log elsewhere", d.with({ log: path.join(root, "log.txt") })],
    ["relative artifact", d.with({ artifact: copyName(hash) })],
    ["no artifact", d.with({ artifact: 7 })],
    ["not a digest", d.with({ sha256: "../../x" })],
  ];
  for (const [label, deployment] of cases)
    assert.equal(checkRef(deployment, d.dirs).status, "untrusted", label);
  fs.rmSync(d.ref.artifact);
  fs.symlinkSync(elsewhere, d.ref.artifact);
  assert.match(JSON.stringify(checkRef(d.deployment, d.dirs)), /"untrusted".*is a link/, "a symlinked copy");
});

test("a hold keeps the bytes when the copy is deleted, and notices a change made through it", () => {
  const d = deployed("held");
  const holds = new ArtifactHolds();
  const hold = holds.acquire(d.ref, "held");
  assert.notEqual(hold.path, d.ref.artifact);
  assert.ok(hold.path.startsWith(d.ref.artifact), "its path shows which copy it holds");
  assert.equal(holds.acquire(d.ref, "held"), hold, "one hold per copy");
  fs.rmSync(d.ref.artifact);
  assert.equal(fs.readFileSync(hold.path, "utf8"), "module.exports = 42;\n");
  assert.equal(holds.intact(hold), true);
  fs.writeFileSync(hold.path, "garbage (");
  assert.equal(holds.intact(hold), false);
  holds.use(hold);
  holds.forget((h) => h === hold);
  assert.ok(fs.existsSync(hold.path), "kept while a pool uses it");
  holds.release(hold);
  assert.equal(fs.existsSync(hold.path), false, "deleted once no pool uses it");
  assert.throws(
    () => holds.acquire(d.ref, "held"),
    (e: unknown) => e instanceof FaasLabError && e.code === "DEPLOYMENT_GONE" && /is missing/.test(e.message),
  );
});

test("a hold of a copy whose bytes are not the deployed ones is refused", () => {
  const d = deployed("tampered");
  fs.writeFileSync(d.ref.artifact, "module.exports = 666;\n");
  assert.throws(
    () => new ArtifactHolds().acquire(d.ref, "tampered"),
    (e: unknown) =>
      e instanceof FaasLabError &&
      e.code === "DEPLOYMENT_GONE" &&
      /changed since it was deployed/.test(e.message),
  );
  assert.deepEqual(fs.readdirSync(d.dirs.dataDir), [copyName(hash)], "no hold was left behind");
});

test("removeCopies keeps the named copy and live processes' holds, deletes the rest", () => {
  const d = deployed("cleaned");
  const other = path.join(d.dirs.dataDir, copyName("cd".repeat(32)));
  fs.writeFileSync(other, "old\n");
  const live = path.join(d.dirs.dataDir, `${copyName(hash)}.${process.pid}-1.hold.js`);
  const dead = path.join(d.dirs.dataDir, `${copyName(hash)}.2147483646-1.hold.js`); // no such PID
  for (const file of [live, dead]) fs.writeFileSync(file, "held\n");
  removeCopies(d.dirs.dataDir, d.ref.artifact);
  assert.deepEqual(fs.readdirSync(d.dirs.dataDir).sort(), [copyName(hash), path.basename(live)].sort());
  removeCopies(d.dirs.dataDir, null);
  assert.deepEqual(fs.readdirSync(d.dirs.dataDir), [path.basename(live)]);
});
