/**
 * Price tables are data: the `prices` object of platforms/<name>/defaults.json, dated (`asOf`) and
 * sourced (`source`). This file reads and checks them; cost.ts applies them.
 */
import { defaultsFile, readPlatformDefaults } from "../config/defaults";

interface PriceTableBase {
  asOf: string;
  source: string;
  currency?: string;
  region?: string;
  notes?: string;
}

/** AWS Lambda on-demand: GB-s by architecture + a request fee, billed per `billingIncrementMs`. */
export interface AwsLambdaPrices extends PriceTableBase {
  model: "aws-lambda";
  requestUsd: number;
  gbSecondUsd: Record<string, number>;
  billingIncrementMs: number;
  /** The INIT phase is billed (on-demand ZIP functions since 2025-08-01). */
  initBilled: boolean;
}

/** Cloud Run (and Cloud Run functions / GCF 2nd gen), request-based billing. */
export interface CloudRunPrices extends PriceTableBase {
  model: "cloud-run-request";
  requestUsd: number;
  vcpuSecondUsd: number;
  gibSecondUsd: number;
  billingIncrementMs: number;
  /** The default vCPU of each memory size (a size between tiers gets the next tier up). */
  cpuForMemory: { source?: string; tiers: { memoryMb: number; cpu: number }[] };
}

export type PriceTable = AwsLambdaPrices | CloudRunPrices;

export interface PlatformPricing {
  /** Null when the platform's defaults.json has no price table (local, http). */
  prices: PriceTable | null;
  /** The platform's default knobs, for rows that lack a value (architecture, cpu). */
  defaults: Record<string, unknown>;
}

const cache = new Map<string, PlatformPricing>();

/** The platform's price table and default knobs, read once from platforms/<name>/defaults.json. */
export function platformPricing(platform: string): PlatformPricing {
  if (!/^[a-z][a-z0-9-]*$/.test(platform))
    throw new RangeError(`cost: invalid platform name ${JSON.stringify(platform)}`);
  const cached = cache.get(platform);
  if (cached) return cached;
  const file = defaultsFile(platform);
  let defaults: Record<string, unknown>;
  let raw: unknown;
  try {
    const read = readPlatformDefaults(platform);
    defaults = read.knobs;
    raw = read.prices;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new RangeError(`cost: unknown platform "${platform}" (no ${file})`);
    throw new Error(`cost: cannot read ${file}: ${(e as Error).message}`);
  }
  const prices = raw === undefined ? null : checkPrices(raw, file);
  const pricing = { prices, defaults };
  cache.set(platform, pricing);
  return pricing;
}

/** Throws one error listing every problem of a price table (from a file or from options.prices). */
export function checkPrices(raw: unknown, where = "prices"): PriceTable {
  const problems: string[] = [];
  const t = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const need = (key: string, ok: (v: unknown) => boolean, what: string): void => {
    if (!ok(t[key])) problems.push(`"${key}" must be ${what}`);
  };
  const price = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v >= 0;
  const text = (v: unknown): boolean => typeof v === "string" && v.length > 0;
  need("asOf", (v) => text(v) && /^\d{4}-\d{2}-\d{2}$/.test(v as string), "a YYYY-MM-DD date");
  need("source", text, "a URL string");
  need("requestUsd", price, "a price ≥ 0");
  need("billingIncrementMs", (v) => typeof v === "number" && v > 0, "a positive number of ms");
  if (t.model === "aws-lambda") {
    need(
      "gbSecondUsd",
      (v) => isRecord(v) && Object.values(v).length > 0 && Object.values(v).every(price),
      "{ arch: price }",
    );
    need("initBilled", (v) => typeof v === "boolean", "true or false");
  } else if (t.model === "cloud-run-request") {
    need("vcpuSecondUsd", price, "a price ≥ 0");
    need("gibSecondUsd", price, "a price ≥ 0");
    need(
      "cpuForMemory",
      (v) => isRecord(v) && Array.isArray(v.tiers) && v.tiers.every(isTier),
      "{ tiers: [{ memoryMb, cpu }] }",
    );
  } else {
    problems.push(`"model" must be "aws-lambda" or "cloud-run-request", got ${JSON.stringify(t.model)}`);
  }
  if (problems.length) throw new RangeError(`cost: bad price table in ${where}: ${problems.join("; ")}`);
  return t as unknown as PriceTable;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isTier(v: unknown): boolean {
  return isRecord(v) && typeof v.memoryMb === "number" && typeof v.cpu === "number" && v.cpu > 0;
}
