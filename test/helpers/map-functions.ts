// Chunk functions the map tests deploy. Each is self-contained (only its source text is shipped):
// a chunk function receives an array of elements and returns an array.

/** An element of the test maps: a value, and what the chunk holding it should do. */
export interface MapElement {
  v: number;
  /** Sleep this long (the chunk sleeps for its first element's value). */
  ms?: number;
  /** A file: the chunk fails once, creating it; the next invocation finds it and succeeds. */
  failOnce?: string;
  /** The chunk holding it always throws. */
  poison?: boolean;
  /** Report at this gate (test/helpers/gate.ts) and wait until the test releases the chunk. */
  gate?: string;
  /** Answer one result short. */
  short?: boolean;
}

/** One result per element: v × 10, and which process ran the chunk and when (instance clock, epoch ms). */
export interface MapOutput {
  v: number;
  pid: number;
  startedAt: number;
  endedAt: number;
}

export const chunkWorker = async (xs: MapElement[]): Promise<MapOutput[]> => {
  const startedAt = Date.now();
  const first = xs[0] ?? { v: 0 };
  if (first.ms) await new Promise((resolve) => setTimeout(resolve, first.ms));
  if (xs.some((x) => x.poison)) throw new RangeError(`poisoned chunk starting at ${first.v}`);
  const marker = xs.find((x) => x.failOnce)?.failOnce;
  if (marker) {
    const fs = require("node:fs") as typeof import("node:fs");
    try {
      fs.writeFileSync(marker, String(process.pid), { flag: "wx" });
      throw new Error(`failing once (chunk starting at ${first.v})`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  if (first.gate) {
    const http = require("node:http") as typeof import("node:http");
    const url = `${first.gate}?key=${first.v}&pid=${process.pid}`;
    await new Promise<void>((resolve, reject) => {
      http
        .get(url, { agent: false }, (response) => {
          response.resume();
          response.on("end", resolve);
          response.on("error", reject);
        })
        .on("error", reject);
    });
  }
  const out = xs.map((x) => ({ v: x.v * 10, pid: process.pid, startedAt, endedAt: Date.now() }));
  return xs.some((x) => x.short) ? out.slice(1) : out;
};

/** A pipeline step that keeps the elements whose value is a multiple of 20 (a filter: fewer out than in). */
export const keepMultiplesOf20 = async (xs: MapOutput[]): Promise<MapOutput[]> =>
  xs.filter((x) => x.v % 20 === 0);

/** The largest number of [startedAt, endedAt) intervals that overlap at one moment. */
export function maxOverlap(intervals: readonly { startedAt: number; endedAt: number }[]): number {
  const events = intervals.flatMap((i) => [
    { at: i.startedAt, delta: 1 },
    { at: i.endedAt, delta: -1 },
  ]);
  // At equal times an end comes before a start: half-open intervals that only touch do not overlap.
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let max = 0;
  for (const e of events) max = Math.max(max, (now += e.delta));
  return max;
}
