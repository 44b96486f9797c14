// File system trouble in the workspace arrives as a FaasLabError with the path and a hint, on real
// files: `logs` a file, `state.json` a folder, a read-only workspace (a read-only bind mount, as root),
// and a disk that fills up during an experiment (a 64 KiB tmpfs on experiments/, as root).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test, type TestContext } from "node:test";
import { cloudFunction, configure, experiment, listDeployed, load, loadFunctions } from "../../lib";
import { FaasLabError } from "../../lib/errors";
import { bindReadOnly, isMounted, mountTmpfs, unmount } from "../helpers/mounts";
import { localSuite } from "../helpers/suite";

const { workspace, ledger } = localSuite("workspace-errors");

function isFileSystemError(pattern: RegExp, hint: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FaasLabError, `not a FaasLabError: ${String(error)}`);
    assert.equal(error.code, "FILESYSTEM_ERROR");
    assert.match(error.message, pattern);
    assert.match(error.hint ?? "", hint);
    return true;
  };
}

/** A tmpfs of `sizeBytes` on `dir` for this test, or a skip where it cannot be mounted (not root). */
function tmpfsFor(t: TestContext, dir: string, sizeBytes: number): boolean {
  fs.mkdirSync(dir, { recursive: true });
  if (!mountTmpfs(dir, sizeBytes)) {
    t.skip("mounting a tmpfs needs root");
    return false;
  }
  t.after(() => {
    if (isMounted(dir)) unmount(dir);
  });
  return true;
}

test("`logs` is a file: the call names it and says to move it", async () => {
  const fn = cloudFunction("logs_is_a_file", async () => ({ pid: process.pid }));
  const logs = path.join(workspace, "functions", "logs_is_a_file", "logs");
  fs.mkdirSync(path.dirname(logs), { recursive: true });
  fs.writeFileSync(logs, "someone's notes");
  await assert.rejects(
    fn({}),
    isFileSystemError(
      new RegExp(`cannot create the folder ${logs}: it is a file, where faaslab needs a folder \\(EEXIST\\)`),
      /move or delete the file .*logs; faaslab creates the folder anew/,
    ),
  );
  fs.rmSync(logs);
  ledger.add((await fn({})).pid);
});

test("`state.json` is a folder: refused before anything is built", async () => {
  const fn = cloudFunction("state_is_a_folder", async () => ({ pid: process.pid }));
  const dir = path.join(workspace, "functions", "state_is_a_folder");
  fs.mkdirSync(path.join(dir, "state.json"), { recursive: true });
  await assert.rejects(
    fn({}),
    isFileSystemError(
      /cannot read .*state_is_a_folder\/state\.json: it is a folder, where faaslab keeps a file \(EISDIR\)/,
      /move or delete the folder .*state\.json; faaslab writes the file anew/,
    ),
  );
  assert.equal(fs.existsSync(path.join(dir, "build")), false, "nothing was built");
  // Listing the workspace's functions skips it rather than failing on it.
  assert.equal("state_is_a_folder" in loadFunctions(workspace), false);
  const listed = await listDeployed({ workspace, platform: "local" });
  assert.equal(
    listed.functions.some((f) => f.functionName === "state_is_a_folder"),
    false,
  );
  fs.rmdirSync(path.join(dir, "state.json"));
  ledger.add((await fn({})).pid);
});

test("a read-only workspace: deploys and experiments say so, with the path", async (t) => {
  const readOnly = path.join(workspace, "read-only");
  fs.mkdirSync(readOnly);
  configure({ workspace: readOnly });
  t.after(() => configure({ workspace }));
  const deployed = cloudFunction("ro_deployed", async () => ({ pid: process.pid }));
  ledger.add((await deployed({})).pid);
  if (!bindReadOnly(readOnly)) return t.skip("a read-only bind mount needs root");
  t.after(() => unmount(readOnly));

  const fresh = cloudFunction("ro_fresh", async () => ({ pid: process.pid }));
  await assert.rejects(
    fresh({}),
    isFileSystemError(
      /cannot create the folder .*read-only\/functions\/ro_fresh\/logs: the file system is read-only \(EROFS\)/,
      /configure\(\{ workspace \}\) or FAASLAB_WORKSPACE/,
    ),
  );
  await assert.rejects(
    experiment(deployed, { name: "nowhere" }),
    isFileSystemError(
      /cannot create the folder .*ro_deployed\/experiments\/nowhere: the file system is read-only \(EROFS\)/,
      /configure\(\{ workspace \}\) or FAASLAB_WORKSPACE/,
    ),
  );
  ledger.add((await deployed({})).pid); // what is deployed still answers
});

test("the disk fills up during an experiment: it rejects with ENOSPC, and meta.json says failed", async (t) => {
  const fn = cloudFunction("fills_disk", async () => ({ pid: process.pid, pad: "x".repeat(2000) }));
  ledger.add((await fn({})).pid); // deployed outside the small disk
  const experiments = path.join(workspace, "functions", "fills_disk", "experiments");
  if (!tmpfsFor(t, experiments, 64 * 1024)) return;

  const journal = path.join(experiments, "filled", "runs.jsonl");
  await assert.rejects(
    experiment(fn, { name: "filled", runsPerThread: 300 }),
    isFileSystemError(
      new RegExp(`cannot write ${journal}: no space left on the device \\(ENOSPC\\)`),
      /free space on the disk that holds/,
    ),
  );

  const meta = JSON.parse(fs.readFileSync(path.join(experiments, "filled", "meta.json"), "utf8")) as {
    status: string;
    reason: string;
    endedAt: string | null;
  };
  assert.equal(meta.status, "failed");
  assert.match(meta.reason, /no space left on the device/);
  assert.match(meta.reason, /runs\.jsonl holds \d+ of \d+ rows/);
  assert.equal(typeof meta.endedAt, "string");

  const back = load(fn, "filled");
  back.allRows.forEach((row) => ledger.add(row.pid));
  assert.equal(back.meta.status, "failed");
  assert.doesNotMatch(back.meta.reason ?? "", /ended before|stopped before/);
  assert.ok(back.rows.length > 5 && back.rows.length < 300, `${back.rows.length} rows`);
  assert.deepEqual(back.warnings, [], "the journal holds whole rows only");
  assert.deepEqual(
    back.rows.map((row) => row.seq),
    back.rows.map((_, i) => i),
  );
});
