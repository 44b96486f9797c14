// A full disk during a run (ENOSPC injected at the journal's write(2) and for new files, as a full
// file system answers): the journal keeps whole rows, meta.json says "failed" with why, and load()
// in this process never claims the writer died.
import assert from "node:assert/strict";
import fs = require("node:fs");
import * as path from "node:path";
import { test, type TestContext } from "node:test";
import { FaasLabError } from "../../../lib/errors";
import { load } from "../../../lib/experiment/load";
import { openExperiment, readJournal } from "../../../lib/experiment/store";
import { metaInput, row, workspace } from "./fixtures";

function enospc(syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), {
    code: "ENOSPC",
    errno: -28,
    syscall,
  });
}

function pathOfFd(fd: number): string | null {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

/**
 * From now on the disk is full: `journal` takes `budget` more bytes (the write that crosses it is cut
 * short, the next one fails), new files cannot be written, blocks a file already has can be rewritten.
 */
function fillDisk(t: TestContext, journal: string, budget: number, options: { inPlace: boolean }): void {
  const realWriteSync = fs.writeSync.bind(fs) as (
    fd: number,
    b: Buffer,
    o: number,
    l: number,
    p?: number | null,
  ) => number;
  let left = budget;
  t.mock.method(
    fs,
    "writeSync",
    (fd: number, buffer: Buffer, offset: number, length: number, position?: number | null) => {
      if (pathOfFd(fd) !== journal) return realWriteSync(fd, buffer, offset, length, position);
      if (left === 0) throw enospc("write");
      const n = Math.min(left, length);
      left -= n;
      return realWriteSync(fd, buffer, offset, n, position);
    },
  );
  t.mock.method(fs, "writeFileSync", () => {
    throw enospc("write");
  });
  if (!options.inPlace) {
    const realOpenSync = fs.openSync.bind(fs);
    t.mock.method(fs, "openSync", (file: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
      if (flags === "r+") throw enospc("open");
      return realOpenSync(file, flags, mode);
    });
  }
}

function readMeta(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")) as Record<string, unknown>;
}

test(
  "ENOSPC in the journal: whole rows kept, meta.json 'failed' with the reason, load() agrees",
  { skip: process.platform !== "linux" },
  (t) => {
    const ws = workspace(t);
    const writer = openExperiment({
      workspace: ws,
      functionName: "fn",
      name: "full",
      meta: metaInput("full"),
    });
    writer.append(row({ seq: 0 })); // the first append is written at once
    const oneRow = fs.statSync(writer.files.journal).size;
    fillDisk(t, writer.files.journal, Math.floor(oneRow / 2), { inPlace: true });
    for (let seq = 1; seq < 20; seq++) writer.append(row({ seq }));
    assert.throws(
      () => writer.finish("complete", null),
      (error: unknown) => {
        assert.ok(error instanceof FaasLabError, String(error));
        assert.equal(error.code, "FILESYSTEM_ERROR");
        assert.match(
          error.message,
          new RegExp(`cannot write ${writer.files.journal}: no space left on the device \\(ENOSPC\\)`),
        );
        assert.match(error.hint ?? "", /free space on the disk/);
        return true;
      },
    );
    t.mock.restoreAll();

    const journal = readJournal(writer.files.journal);
    assert.deepEqual(
      journal.rows.map((r) => r.seq),
      [0],
      "row 1 was cut short by the full disk, then cut off",
    );
    assert.equal(journal.truncatedTail, false);
    assert.equal(fs.statSync(writer.files.journal).size, oneRow, "the file ends with the last whole row");
    const meta = readMeta(writer.dir);
    assert.equal(meta.status, "failed");
    assert.match(String(meta.reason), /runs\.jsonl holds 1 of 20 rows: .*no space left on the device/);
    assert.match(String(meta.reason), /results\.csv could not be written: .*ENOSPC/);
    assert.equal(typeof meta.endedAt, "string");
    assert.deepEqual(fs.readdirSync(writer.dir).sort(), ["meta.json", "runs.jsonl"], "no temp files left");

    const back = load("fn", "full", { workspace: ws });
    assert.equal(back.meta.status, "failed");
    assert.equal(back.rows.length, 1);
    assert.doesNotMatch(String(back.meta.reason), /ended before|stopped before/);
  },
);

test(
  "when not even meta.json can be rewritten, load() in this process still reports the failure",
  { skip: process.platform !== "linux" },
  (t) => {
    const ws = workspace(t);
    const writer = openExperiment({
      workspace: ws,
      functionName: "fn",
      name: "full",
      meta: metaInput("full"),
    });
    writer.append(row({ seq: 0 }));
    fillDisk(t, writer.files.journal, 0, { inPlace: false });
    writer.append(row({ seq: 1 }));
    assert.throws(() => writer.finish("complete", null), /no space left on the device/);
    t.mock.restoreAll();

    assert.equal(readMeta(writer.dir).status, "running", "the file could not be changed");
    const back = load("fn", "full", { workspace: ws });
    assert.equal(back.meta.status, "failed");
    assert.match(String(back.meta.reason), /runs\.jsonl holds 1 of 2 rows/);
    assert.doesNotMatch(String(back.meta.reason), /stopped before/);

    // A new run in the same folder is not mistaken for the failed one.
    const again = openExperiment({
      workspace: ws,
      functionName: "fn",
      name: "full",
      overwrite: true,
      meta: metaInput("full"),
    });
    assert.equal(load("fn", "full", { workspace: ws }).meta.status, "running");
    again.finish("complete", null);
  },
);
