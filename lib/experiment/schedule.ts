/** Who calls what, when: seeded payload distribution (closed loop) and arrival times (open loop). */

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

/** Fisher–Yates on a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * FaaSET's assignment without its bugs: the payload list is repeated (cyclically) to exactly
 * threads × runsPerThread entries, shuffled with a seeded RNG when asked, and thread i takes the
 * next runsPerThread entries. Returns payload indices per thread; the caller's list is untouched.
 */
export function distributePayloads(
  payloadCount: number,
  threads: number,
  runsPerThread: number,
  options: { shuffle: boolean; seed: number },
): number[][] {
  const total = threads * runsPerThread;
  const indices = Array.from({ length: total }, (_, i) => i % payloadCount);
  const order = options.shuffle ? shuffled(indices, seededRandom(options.seed)) : indices;
  return Array.from({ length: threads }, (_, t) => order.slice(t * runsPerThread, (t + 1) * runsPerThread));
}

/** Open loop: offsets (ms from start) of every request, Poisson (exponential gaps) or evenly spaced. */
export function arrivalOffsets(
  rps: number,
  durationS: number,
  arrival: "poisson" | "uniform",
  random: () => number,
): number[] {
  const horizonMs = durationS * 1000;
  const offsets: number[] = [];
  if (arrival === "uniform") {
    const gap = 1000 / rps;
    for (let t = 0; t < horizonMs; t += gap) offsets.push(t);
    return offsets;
  }
  let t = -Math.log(1 - random()) * (1000 / rps);
  while (t < horizonMs) {
    offsets.push(t);
    t += -Math.log(1 - random()) * (1000 / rps);
  }
  return offsets;
}
