/**
 * cost(rows, platform): what each invocation cost, from the platform's dated price table.
 *
 * AWS Lambda: requestUsd + memoryMb/1024 GB × billed s × gbSecondUsd[architecture]; billed = the
 * platform's billedMs (its REPORT line, which includes INIT since 2025-08-01), else runtimeMs +
 * initMs rounded up to 1 ms. Cloud Run / Cloud Run functions (GCF 2nd gen), request-based:
 * requestUsd + billed s × (vCPU × vcpuSecondUsd + memoryMb/1024 GiB × gibSecondUsd), billed =
 * billedMs, else runtimeMs + initMs (startup is billed), rounded up to 100 ms. Free tiers are not
 * applied. An invocation that cannot be priced (no duration or memory) costs null, never 0.
 */
import { cloudRunCost, lambdaCost, type CostOptions, type CostRow } from "./cost-models";
import { checkPrices, platformPricing, type PriceTable } from "./prices";

export type { CostOptions, CostRow } from "./cost-models";

export interface CostBreakdown {
  platform: string;
  model: PriceTable["model"] | null;
  invocations: number;
  priced: number;
  unpriced: number;
  requestUsd: number;
  computeUsd: number;
  /** Sum of billed durations after rounding, over priced rows. */
  billedMs: number;
  /** GB-seconds (Lambda, GB = 1024 MB) or GiB-seconds (Cloud Run). */
  memoryGbSeconds: number;
  /** vCPU-seconds (Cloud Run); null for Lambda. */
  vcpuSeconds: number | null;
  asOf: string | null;
  source: string | null;
  notes: string[];
}

export interface CostResult {
  perInvocationUsd: (number | null)[];
  /** Sum over priced invocations; null when none could be priced. */
  totalUsd: number | null;
  breakdown: CostBreakdown;
}

export function cost(rows: ReadonlyArray<CostRow>, platform: string, options: CostOptions = {}): CostResult {
  if (!Array.isArray(rows)) throw new TypeError("cost: rows must be an array of invocation records");
  const pricing = platformPricing(platform);
  const prices = options.prices ? checkPrices(options.prices, "options.prices") : pricing.prices;
  const breakdown: CostBreakdown = {
    platform,
    model: prices?.model ?? null,
    invocations: rows.length,
    priced: 0,
    unpriced: 0,
    requestUsd: 0,
    computeUsd: 0,
    billedMs: 0,
    memoryGbSeconds: 0,
    vcpuSeconds: prices?.model === "cloud-run-request" ? 0 : null,
    asOf: prices?.asOf ?? null,
    source: prices?.source ?? null,
    notes: [],
  };
  if (!prices) {
    breakdown.unpriced = rows.length;
    breakdown.notes.push(
      `${platform} invocations are not billed by any provider faaslab knows (platforms/${platform}/defaults.json has no price table): costs are null; pass options.prices to price them`,
    );
    return { perInvocationUsd: rows.map(() => null), totalUsd: null, breakdown };
  }
  let estimated = 0;
  const perInvocationUsd = rows.map((row, i) => {
    const priced =
      prices.model === "aws-lambda"
        ? lambdaCost(checkRow(row, i), prices, options, pricing.defaults)
        : cloudRunCost(checkRow(row, i), prices, options, pricing.defaults);
    if (!priced) {
      breakdown.unpriced++;
      return null;
    }
    breakdown.priced++;
    breakdown.requestUsd += priced.requestUsd;
    breakdown.computeUsd += priced.usd - priced.requestUsd;
    breakdown.billedMs += priced.billedMs;
    breakdown.memoryGbSeconds += priced.memoryGbSeconds;
    if (breakdown.vcpuSeconds !== null) breakdown.vcpuSeconds += priced.vcpuSeconds;
    if (priced.estimated) estimated++;
    return priced.usd;
  });
  const notes = breakdown.notes;
  notes.push(
    `prices as of ${prices.asOf} (${prices.source})${prices.region ? `, ${prices.region}` : ""}; free tier not applied`,
  );
  if (estimated) {
    notes.push(
      `${estimated} of ${rows.length} billed durations estimated from runtimeMs + initMs (no billedMs)`,
    );
  }
  if (breakdown.unpriced) {
    notes.push(
      `${breakdown.unpriced} of ${rows.length} invocations not priced (no duration, memory or price for the architecture)`,
    );
  }
  const totalUsd = breakdown.priced ? breakdown.requestUsd + breakdown.computeUsd : null;
  return { perInvocationUsd, totalUsd, breakdown };
}

const NUMERIC: (keyof CostRow)[] = ["memoryMb", "billedMs", "initMs", "runtimeMs", "cpu", "cpuAllocated"];

function checkRow(row: CostRow, index: number): CostRow {
  if (typeof row !== "object" || row === null) throw new TypeError(`cost: rows[${index}] is not an object`);
  for (const key of NUMERIC) {
    const v: unknown = row[key];
    if (v != null && !(typeof v === "number" && Number.isFinite(v) && v >= 0)) {
      throw new TypeError(`cost: rows[${index}].${key} is ${String(v)}; expected a number ≥ 0 or null`);
    }
  }
  return row;
}
