/**
 * Who calls what, when: seeded payload distribution (closed loop) and arrival times (open loop).
 * Nothing here is materialised per invocation except a shuffled payload order, one byte (up to 256
 * payloads), two or four per invocation — the size of a run is bounded up front (limits.ts).
 */

/** mulberry32: small, fast, seeded — the same seed gives the same experiment plan everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates in place, on an array or a typed array: one random() per position, last to first. */
export function shuffleInPlace<T>(items: { [index: number]: T; length: number }, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
}

/** Fisher–Yates on a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  shuffleInPlace(out, random);
  return out;
}

/** The payload index of every position 0 … total − 1 of the plan. */
export interface PayloadPlan {
  readonly total: number;
  /** Closed loop: position = thread × runsPerThread + run. Open loop: the arrival's number. */
  at(position: number): number;
}

/**
 * FaaSET's assignment without its bugs: the payload list is repeated (cyclically) to exactly `total`
 * entries, shuffled with a seeded RNG when asked, and thread i takes the next runsPerThread entries
 * (positions i × runsPerThread …). Without a shuffle (or with one payload) a position's payload is
 * index arithmetic; a shuffle is the exact Fisher–Yates of the repeated list, held in the smallest
 * typed array that fits the payload indices. The caller's list is untouched (only indices are planned).
 */
export function payloadPlan(
  payloadCount: number,
  total: number,
  options: { shuffle: boolean; seed: number },
): PayloadPlan {
  if (!options.shuffle || payloadCount === 1) return { total, at: (position) => position % payloadCount };
  const order =
    payloadCount <= 0x100
      ? new Uint8Array(total)
      : payloadCount <= 0x10000
        ? new Uint16Array(total)
        : new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i % payloadCount;
  shuffleInPlace(order, seededRandom(options.seed));
  return { total, at: (position) => order[position] };
}

/**
 * Open loop: offsets (ms from start) of every request, Poisson (exponential gaps) or evenly spaced,
 * generated one at a time. The same `random` sequence gives the same offsets.
 */
export function* arrivalOffsets(
  rps: number,
  durationS: number,
  arrival: "poisson" | "uniform",
  random: () => number,
): Generator<number, void, undefined> {
  const horizonMs = durationS * 1000;
  if (arrival === "uniform") {
    const gap = 1000 / rps;
    for (let t = 0; t < horizonMs; t += gap) yield t;
    return;
  }
  let t = -Math.log(1 - random()) * (1000 / rps);
  while (t < horizonMs) {
    yield t;
    t += -Math.log(1 - random()) * (1000 / rps);
  }
}

/** How many arrivals arrivalOffsets(…, seededRandom(seed)) yields (generated, not stored). */
export function countArrivals(
  rps: number,
  durationS: number,
  arrival: "poisson" | "uniform",
  seed: number,
): number {
  let count = 0;
  for (const _offset of arrivalOffsets(rps, durationS, arrival, seededRandom(seed))) count += 1;
  return count;
}
