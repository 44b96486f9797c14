/**
 * Turning user input into a clean sample, and the moments every test needs.
 *
 * Rule (all of lib/stats): `null` and `undefined` are missing values and are skipped (a failed
 * invocation has `runtimeMs: null`); anything else that is not a finite number — NaN, ±Infinity, a
 * string, a boolean — is a mistake and throws a TypeError naming the position and the value.
 */

/** A sample as users pass it: an array (or typed array) of numbers, null for a missing value. */
export type Sample = ArrayLike<number | null | undefined>;

/** The finite numbers of `xs`, nulls and undefineds dropped, in their original order. */
export function cleanSample(xs: ArrayLike<unknown>, label = "sample"): number[] {
  checkArray(xs, label);
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x: unknown = xs[i];
    if (x === null || x === undefined) continue;
    out.push(checkNumber(x, label, i));
  }
  return out;
}

/**
 * Pairs for a paired test: both arrays must have the same length; a pair with a missing value on
 * either side is dropped as a whole (pairwise deletion), so the pairing is never shifted.
 */
export function cleanPairs(a: ArrayLike<unknown>, b: ArrayLike<unknown>): [number[], number[]] {
  const xs = checkArray(a, "a");
  const ys = checkArray(b, "b");
  if (xs.length !== ys.length) {
    throw new RangeError(`a paired test needs samples of equal length (got ${xs.length} and ${ys.length})`);
  }
  const outA: number[] = [];
  const outB: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x: unknown = xs[i];
    const y: unknown = ys[i];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    outA.push(checkNumber(x, "a", i));
    outB.push(checkNumber(y, "b", i));
  }
  return [outA, outB];
}

/** Arrays and typed arrays (a Float64Array column) are accepted. */
function checkArray(xs: unknown, label: string): ArrayLike<unknown> {
  if (!Array.isArray(xs) && !(ArrayBuffer.isView(xs) && "length" in xs))
    throw new TypeError(`${label} must be an array of numbers, got ${describe(xs)}`);
  return xs as ArrayLike<unknown>;
}

function checkNumber(x: unknown, label: string, index: number): number {
  if (typeof x !== "number") {
    throw new TypeError(`${label}[${index}] is ${describe(x)}, not a number (use null for a missing value)`);
  }
  if (!Number.isFinite(x)) {
    throw new TypeError(
      `${label}[${index}] is ${x}: only finite numbers are allowed (use null for a missing value)`,
    );
  }
  return x;
}

function describe(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (Array.isArray(x)) return "an array";
  return x === null ? "null" : typeof x === "object" ? "an object" : String(x);
}

/** Arithmetic mean; NaN for an empty sample. */
export function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample variance (denominator n − 1), two-pass like numpy's var(ddof=1); NaN when n < 2. */
export function sampleVariance(xs: readonly number[], m = mean(xs)): number {
  if (xs.length < 2) return NaN;
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return ss / (xs.length - 1);
}

/** A sorted copy (ascending); the input is never reordered. */
export function sortedCopy(xs: readonly number[]): number[] {
  return Array.from(Float64Array.from(xs).sort());
}
