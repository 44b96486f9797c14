/**
 * The three distributions the tests need: Student t (CDF, survival, quantile), the standard normal
 * (survival) and Binomial(n, ½) (CDF, for the order-statistic CI of the median).
 */
import { betaRegularized, gammaRegularized, logGamma } from "./special";

/** P(T ≤ t) for Student's t with `df` degrees of freedom (fractional df allowed, as Welch needs). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (df === Infinity) return normalSf(-t);
  const t2 = t * t;
  // P(T ≤ −|t|) = ½ · I_x(df/2, ½) with x = df / (df + t²); 1 − x is passed as t² / (df + t²) exactly.
  const { lower } = betaRegularized(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
  const tail = 0.5 * lower;
  return t <= 0 ? tail : 1 - tail;
}

/** P(T ≥ t). */
export function studentTSf(t: number, df: number): number {
  return studentTCdf(-t, df);
}

function studentTPdf(t: number, df: number): number {
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** The t with P(T ≤ t) = q: Newton's method on the CDF, kept inside a shrinking bracket. */
export function studentTQuantile(q: number, df: number): number {
  if (Number.isNaN(q) || !(df > 0) || q < 0 || q > 1) return NaN;
  if (q === 0) return -Infinity;
  if (q === 1) return Infinity;
  if (q === 0.5) return 0;
  if (q > 0.5) return -studentTQuantile(1 - q, df);
  // q < ½: the root is negative; search it from the lower tail, where the CDF is computed precisely.
  let lo = -1;
  while (studentTCdf(lo, df) > q) lo *= 2;
  let hi = lo === -1 ? 0 : lo / 2;
  let t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(t, df) - q;
    if (f === 0) return t;
    if (f > 0) hi = t;
    else lo = t;
    let next = t - f / studentTPdf(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.abs(t)) return next;
    t = next;
  }
  return t;
}

/** P(Z ≥ z) for the standard normal, precise in both tails (via the incomplete gamma function). */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 0;
  if (z === -Infinity) return 1;
  const { lower, upper } = gammaRegularized(0.5, (z * z) / 2);
  // erfc(|z|/√2) = Q(½, z²/2), erf(|z|/√2) = P(½, z²/2)
  return z >= 0 ? 0.5 * upper : 0.5 + 0.5 * lower;
}

/** P(B ≤ k) for B ~ Binomial(n, ½), via I_½(n − k, k + 1). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const j = Math.floor(k);
  return betaRegularized(0.5, 0.5, n - j, j + 1).lower;
}
