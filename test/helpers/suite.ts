import assert from "node:assert/strict";
import { after, before } from "node:test";
import { configure, shutdown } from "../../lib";
import { removeDir, tempDir } from "./workspace";
import { childPids, describePid, survivors } from "./processes";

/**
 * Collects the PIDs of every instance a test file saw, so the file can assert at the end that none
 * is left (and that this process has no child processes at all, esbuild's service included).
 */
export class PidLedger {
  private readonly pids = new Set<number>();

  add(pid: unknown): void {
    if (typeof pid === "number" && Number.isInteger(pid) && pid > 0) this.pids.add(pid);
  }

  get size(): number {
    return this.pids.size;
  }

  /** After shutdown(): every recorded instance and every child process is gone within `timeoutMs`. */
  async assertAllGone(timeoutMs = 2000): Promise<void> {
    assert.ok(this.pids.size > 0, "the suite recorded the instances it used");
    const left = await survivors(this.pids, timeoutMs);
    assert.deepEqual(
      left,
      [],
      `instance processes still alive after shutdown: ${left.map(describePid).join(", ")}`,
    );
    const children = await survivors(childPids(), timeoutMs);
    assert.deepEqual(
      children,
      [],
      `child processes still alive after shutdown: ${children.map(describePid).join(", ")}`,
    );
  }
}

/**
 * The frame of every integration file: its own temp workspace on the local platform, and at the end
 * shutdown(), proof that no instance or child process is left, and the workspace removed.
 */
export function localSuite(name: string): { workspace: string; ledger: PidLedger } {
  const workspace = tempDir(name);
  const ledger = new PidLedger();
  before(() => configure({ workspace, platform: "local" }));
  after(async () => {
    try {
      await shutdown();
      await ledger.assertAllGone();
    } finally {
      removeDir(workspace);
    }
  });
  return { workspace, ledger };
}
