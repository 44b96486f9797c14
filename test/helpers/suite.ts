import assert from "node:assert/strict";
import { childPids, describePid, survivors } from "./processes";

/** esbuild's long-lived helper process (`esbuild --service=<version>`), started by the first build. */
export function isBundlerService(pid: number): boolean {
  return /esbuild\S*\s+--service=/.test(describePid(pid));
}

/**
 * Collects the PIDs of every instance a test file saw, so the file can assert at the end that none
 * is left (and that this process has no child processes at all).
 */
export class PidLedger {
  private readonly pids = new Set<number>();

  add(pid: unknown): void {
    if (typeof pid === "number" && Number.isInteger(pid) && pid > 0) this.pids.add(pid);
  }

  get size(): number {
    return this.pids.size;
  }

  /**
   * After shutdown(): every recorded instance is gone within `timeoutMs`, and no child process remains.
   * esbuild's service process is not an instance: `ignoreBundler` leaves it to the dedicated test
   * in lifecycle.test.ts ("shutdown() leaves no child process at all").
   */
  async assertAllGone(timeoutMs = 2000, ignoreBundler = true): Promise<void> {
    const left = await survivors(this.pids, timeoutMs);
    assert.deepEqual(left, [], `instance processes still alive after shutdown: ${left.map(describePid).join(", ")}`);
    const children = await survivors(
      childPids().filter((pid) => !(ignoreBundler && isBundlerService(pid))),
      timeoutMs,
    );
    assert.deepEqual(children, [], `child processes still alive after shutdown: ${children.map(describePid).join(", ")}`);
  }
}
