// File system errors on faaslab's files become a FaasLabError naming the path, the problem and the fix.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test, type TestContext } from "node:test";
import { FaasLabError } from "../../lib/errors";
import { fileSystemError, isNoSpace } from "../../lib/fs-errors";
import { fileLogger } from "../../lib/function/logger";
import { writeState } from "../../lib/function/state";

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faaslab-fs-errors-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The error `action` throws. */
function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  assert.fail("nothing was thrown");
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, write`), { code, syscall: "write" });
}

test("ENOSPC, EROFS and EACCES say what is wrong and how to go on", () => {
  const file = "/ws/functions/f/experiments/e/runs.jsonl";
  const full = fileSystemError(errno("ENOSPC"), file, "write", "invoke");
  assert.ok(full instanceof FaasLabError);
  assert.equal(full.code, "FILESYSTEM_ERROR");
  assert.equal(full.phase, "invoke");
  assert.match(
    full.message,
    /^invoke failed: cannot write \/ws\/functions\/f\/experiments\/e\/runs\.jsonl: no space left on the device \(ENOSPC\)\./,
  );
  assert.match(
    full.hint ?? "",
    /free space on the disk that holds \/ws\/functions\/f\/experiments\/e, or use another workspace: configure\(\{ workspace \}\) or FAASLAB_WORKSPACE/,
  );
  assert.ok(isNoSpace(full) && isNoSpace(errno("EDQUOT")) && !isNoSpace(errno("EROFS")));
  assert.match(
    fileSystemError(errno("EROFS"), file, "write", "invoke").message,
    /the file system is read-only \(EROFS\)/,
  );
  assert.match(
    fileSystemError(errno("EACCES"), file, "write", "invoke").message,
    /permission denied \(EACCES\)/,
  );
  const other = fileSystemError(errno("EIO"), file, "read", "load");
  assert.match(other.message, /cannot read .*runs\.jsonl: EIO: simulated, write \(EIO\)/);
  assert.equal(fileSystemError(full, "/elsewhere", "read", "load"), full, "a FaasLabError is kept");
});

test("logs as a file: fileLogger names it and says to move it", (t) => {
  const logs = path.join(tempDir(t), "functions", "f", "logs");
  fs.mkdirSync(path.dirname(logs), { recursive: true });
  fs.writeFileSync(logs, "not a folder");
  const error = thrown(() => fileLogger(logs, "deploy.log"));
  assert.ok(error instanceof FaasLabError, String(error));
  assert.equal(error.phase, "deploy");
  assert.match(
    error.message,
    new RegExp(`cannot create the folder ${logs}: it is a file, where faaslab needs a folder \\(EEXIST\\)`),
  );
  assert.equal(error.hint, `move or delete the file ${logs}; faaslab creates the folder anew`);
});

test("a file higher up is named as the one in the way", (t) => {
  const root = tempDir(t);
  const blocker = path.join(root, "functions");
  fs.writeFileSync(blocker, "");
  const error = thrown(() => writeState(path.join(blocker, "f", "state.json"), {} as never));
  assert.ok(error instanceof FaasLabError, String(error));
  assert.match(
    error.message,
    new RegExp(`cannot write ${blocker}/f/state\\.json: ${blocker} is a file, where faaslab needs a folder`),
  );
  assert.equal(error.hint, `move or delete the file ${blocker}; faaslab creates the folder anew`);
});

test("a log line that cannot be appended is a FaasLabError too", (t) => {
  const logs = path.join(tempDir(t), "logs");
  const log = fileLogger(logs, "deploy.log");
  log("first");
  fs.rmSync(logs, { recursive: true });
  fs.writeFileSync(logs, "");
  const error = thrown(() => log("second"));
  assert.ok(error instanceof FaasLabError, String(error));
  assert.match(error.message, /deploy\.log: .*logs is a file, where faaslab needs a folder \(ENOTDIR\)/);
});
