import assert from "node:assert/strict";
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
