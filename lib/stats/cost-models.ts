/**
 * The two billing models, one invocation at a time (see cost.ts for the formulas and sources).
 */
import type { AwsLambdaPrices, CloudRunPrices, PriceTable } from "./prices";

/** The fields of an InvocationRecord the cost depends on; `cpu` is the vCPU setting (Cloud Run). */
export interface CostRow {
  memoryMb?: number | null;
  billedMs?: number | null;
  initMs?: number | null;
  runtimeMs?: number | null;
  architecture?: string | null;
  cpu?: number | null;
  /** The vCPU the platform reports the instance had (record column; google fills it): used when `cpu` is absent. */
  cpuAllocated?: number | null;
}

export interface CostOptions {
  /** A price table to use instead of the platform's (e.g. another region, or Cloud Run behind "http"). */
  prices?: PriceTable;
  /** For rows without one (default: the platform's default architecture). */
  architecture?: string;
  /** For rows without memoryMb. */
  memoryMb?: number;
  /** vCPU for rows without `cpu` (Cloud Run; default: the platform default, else derived from memory). */
  cpu?: number;
}

export interface Priced {
  usd: number;
  requestUsd: number;
  billedMs: number;
  memoryGbSeconds: number;
  vcpuSeconds: number;
  estimated: boolean;
}

export function lambdaCost(
  row: CostRow,
  p: AwsLambdaPrices,
  o: CostOptions,
  defaults: Record<string, unknown>,
): Priced | null {
  const memoryMb = row.memoryMb ?? o.memoryMb;
  const arch = normalizeArch(row.architecture ?? o.architecture ?? stringOr(defaults.architecture));
  const rate = arch === null ? undefined : p.gbSecondUsd[arch];
  const billed = billedDuration(row, p.billingIncrementMs, p.initBilled);
  if (memoryMb == null || rate === undefined || billed === null) return null;
  const memoryGbSeconds = (memoryMb / 1024) * (billed.ms / 1000);
  const usd = p.requestUsd + memoryGbSeconds * rate;
  return {
    usd,
    requestUsd: p.requestUsd,
    billedMs: billed.ms,
    memoryGbSeconds,
    vcpuSeconds: 0,
    estimated: billed.estimated,
  };
}

export function cloudRunCost(
  row: CostRow,
  p: CloudRunPrices,
  o: CostOptions,
  defaults: Record<string, unknown>,
): Priced | null {
  const memoryMb = row.memoryMb ?? o.memoryMb;
  const billed = billedDuration(row, p.billingIncrementMs, true);
  if (memoryMb == null || billed === null) return null;
  const defaultCpu = typeof defaults.cpu === "number" ? defaults.cpu : undefined;
  const cpu = row.cpu ?? row.cpuAllocated ?? o.cpu ?? defaultCpu ?? cpuForMemory(memoryMb, p);
  if (cpu === null) return null;
  const seconds = billed.ms / 1000;
  const memoryGbSeconds = (memoryMb / 1024) * seconds;
  const vcpuSeconds = cpu * seconds;
  const usd = p.requestUsd + vcpuSeconds * p.vcpuSecondUsd + memoryGbSeconds * p.gibSecondUsd;
  return {
    usd,
    requestUsd: p.requestUsd,
    billedMs: billed.ms,
    memoryGbSeconds,
    vcpuSeconds,
    estimated: billed.estimated,
  };
}

/** The platform's billed time, else runtime (+ init when billed), rounded up to the increment. */
function billedDuration(
  row: CostRow,
  incrementMs: number,
  initBilled: boolean,
): { ms: number; estimated: boolean } | null {
  if (row.billedMs != null) return { ms: roundUp(row.billedMs, incrementMs), estimated: false };
  if (row.runtimeMs == null) return null;
  const init = initBilled ? (row.initMs ?? 0) : 0;
  return { ms: roundUp(row.runtimeMs + init, incrementMs), estimated: true };
}

/** Up to the next multiple; a sum that misses a multiple by float noise (1e-9) is not pushed up. */
function roundUp(ms: number, incrementMs: number): number {
  return Math.max(1, Math.ceil(ms / incrementMs - 1e-9)) * incrementMs;
}

/** The default vCPU of a memory size: its tier, or the next tier up; null above the largest. */
export function cpuForMemory(memoryMb: number, p: CloudRunPrices): number | null {
  const tiers = [...p.cpuForMemory.tiers].sort((x, y) => x.memoryMb - y.memoryMb);
  return tiers.find((t) => t.memoryMb >= memoryMb)?.cpu ?? null;
}

export function normalizeArch(arch: string | null | undefined): string | null {
  if (!arch) return null;
  const a = arch.toLowerCase();
  if (a === "x64" || a === "x86_64" || a === "amd64") return "x86_64";
  if (a === "arm64" || a === "aarch64") return "arm64";
  return a;
}

function stringOr(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
