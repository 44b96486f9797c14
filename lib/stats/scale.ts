/**
 * Exact rescaling by a power of two, so that sums and squares of values near the ends of the double
 * range (±1e308, or 1e-300) neither overflow to Infinity nor underflow to 0. Multiplying by 2^e only
 * changes the exponent, so the scaled values — and every statistic computed from them, unscaled
 * again — are those of the originals. Values between 2^-450 and 2^450 (1e-135 … 1e135) are left as
 * they are (e = 0), so ordinary data goes through the plain arithmetic untouched.
 */

const LARGEST_PLAIN = 2 ** 450;
const SMALLEST_PLAIN = 2 ** -450;

/** The exponent e to scale every sample by (0 for ordinary data): max |x|·2^e lands in [1, 2). */
export function scaleExponent(...samples: readonly (readonly number[])[]): number {
  let largest = 0;
  for (const xs of samples) for (const x of xs) largest = Math.max(largest, Math.abs(x));
  if (largest === 0 || (largest <= LARGEST_PLAIN && largest >= SMALLEST_PLAIN)) return 0;
  return -Math.floor(Math.log2(largest));
}

/** x·2^e without overflowing the factor itself (2^1074 is not a double, 2^537 is). */
export function timesPowerOfTwo(x: number, e: number): number {
  if (e === 0) return x;
  const half = Math.trunc(e / 2);
  return x * 2 ** half * 2 ** (e - half);
}

/** The values times 2^e (the same array when e is 0). */
export function scaleAll(xs: readonly number[], e: number): readonly number[] {
  return e === 0 ? xs : xs.map((x) => timesPowerOfTwo(x, e));
}

/**
 * A statistic back on the data's scale; a RangeError, with the reason, when it does not fit in a
 * double (e.g. the SD of −1e308 and 1e308): never a silent Infinity.
 */
export function unscale(value: number, e: number, what: string, where: string): number {
  const result = timesPowerOfTwo(value, -e);
  if (Number.isFinite(value) && !Number.isFinite(result)) {
    throw new RangeError(
      `${where}: the ${what} of these values (about ${describe(value, e)}) exceeds the largest double ` +
        `(1.797e308); express the values in a larger unit (e.g. seconds instead of milliseconds)`,
    );
  }
  return result;
}

/** value·2^-e written in decimal without computing it (it overflows). */
function describe(value: number, e: number): string {
  const log10 = Math.log10(Math.abs(value)) - e * Math.log10(2);
  const exponent = Math.floor(log10);
  const mantissa = 10 ** (log10 - exponent);
  return `${value < 0 ? "-" : ""}${mantissa.toFixed(3)}e${exponent}`;
}
