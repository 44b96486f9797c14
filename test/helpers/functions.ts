// User functions the integration tests deploy. Each is self-contained (everything it uses is declared
// or required inside its body), because only its source text is shipped to the instance.
import type { InvocationRecord } from "../../lib";

/** What nap() returns: which process served the request, and when (instance clock, epoch ms). */
export interface NapResult {
  pid: number;
  startedAt: number;
  endedAt: number;
}

/** Sleeps `ms` without blocking the instance's event loop. */
export const nap = async (payload: { ms: number }): Promise<NapResult> => {
  const startedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, payload.ms));
  return { pid: process.pid, startedAt, endedAt: Date.now() };
};

/** Returns its instance's PID at once, or misbehaves as the payload asks. */
export const misbehave = async (payload: {
  mode: "ok" | "exit" | "throw" | "spin" | "bigint" | "circular";
  ms?: number;
}): Promise<unknown> => {
  if (payload.ms) await new Promise((resolve) => setTimeout(resolve, payload.ms));
  switch (payload.mode) {
    case "exit":
      process.exit(3);
      break;
    case "throw":
      throw new TypeError(`bad input from pid ${process.pid}`);
    case "spin":
      for (;;) {
        // a synchronous loop: only killing the process stops it
      }
    case "bigint":
      return { big: BigInt(2) ** BigInt(70) };
    case "circular": {
      const node: { self?: unknown } = {};
      node.self = node;
      return node;
    }
  }
  return { pid: process.pid };
};

/**
 * Grows the V8 heap with JS arrays (8 MB each) up to `maxMb`. Synchronous on purpose: V8 usually
 * reaches its heap limit (--max-old-space-size) before the parent's RSS watchdog next looks.
 */
export const growHeap = async (payload: { maxMb: number }): Promise<unknown> => {
  const keep: number[][] = [];
  for (let mb = 0; mb < payload.maxMb; mb += 8) keep.push(new Array(1_000_000).fill(mb));
  return { survived: true, pid: process.pid, arrays: keep.length };
};

/** Grows memory outside the V8 heap (Buffers) with every page touched, slowly enough for the RSS watchdog. */
export const growBuffers = async (payload: { maxMb: number }): Promise<unknown> => {
  const keep: Buffer[] = [];
  const heapBefore = process.memoryUsage().heapUsed;
  for (let mb = 0; mb < payload.maxMb; mb += 8) {
    keep.push(Buffer.alloc(8 * 1024 * 1024).fill(mb % 251));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  return { survived: true, pid: process.pid, heapGrowthMb, rssMb: process.memoryUsage().rss / 2 ** 20 };
};

/** The result of a record that must have succeeded (fails the test with the remote error otherwise). */
export function resultOf<T>(record: InvocationRecord): T {
  if (record.failed) throw new Error(`invocation failed: ${record.errorType}: ${record.errorMessage}`);
  return record.result as T;
}
