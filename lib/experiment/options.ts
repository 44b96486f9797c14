import { ConfigError } from "../errors";
import type { ScalarValue } from "../runtime/envelope";
import type { ExperimentProgress } from "./progress";
import { experimentNameProblem } from "./store/names";
import { SIZE_HINT, closedLoopSizeProblems, openLoopSizeProblems } from "./limits";

/** experiment(fn, options): closed loop (threads × runsPerThread) or open loop (rps × durationS). */
export interface ExperimentOptions {
  /** Directory name under functions/<fn>/experiments/ (default: exp-<date>-<time>). */
  name?: string;
  threads?: number;
  runsPerThread?: number;
  /** Repeated to threads × runsPerThread (default [{}]); never mutated. */
  payloads?: unknown[];
  shuffle?: boolean;
  /** Seed of the payload shuffle and of Poisson arrivals (default 42). */
  seed?: number;
  /** Constant columns added to every row, kept in meta.json. */
  tags?: Record<string, ScalarValue>;
  /** Runs per thread before the measured ones: journaled with warmup=true, excluded from results. */
  warmup?: number;
  /** Pause between a thread's runs. */
  sleepMs?: number;
  signal?: AbortSignal;
  /** An infrastructure failure (not a function error): record it as a failed row (default) or stop and throw. */
  onError?: "record" | "throw";
  onProgress?: (progress: ExperimentProgress) => void;
  /** Replace an earlier experiment of the same name instead of adding run-N. */
  overwrite?: boolean;
  /** Client-side limit per invocation. */
  timeoutMs?: number;
  /** Open loop: requests per second, issued on schedule regardless of completions. */
  rps?: number;
  durationS?: number;
  arrival?: "poisson" | "uniform";
  /** Open loop: arrivals while this many requests are in flight are not sent (recorded as "ClientSaturated"). */
  maxInFlight?: number;
}

export interface ClosedLoopPlan {
  mode: "closed";
  threads: number;
  runsPerThread: number;
  warmup: number;
  sleepMs: number;
}

export interface OpenLoopPlan {
  mode: "open";
  rps: number;
  durationS: number;
  arrival: "poisson" | "uniform";
  maxInFlight: number;
}

export interface ResolvedOptions {
  name: string;
  payloads: unknown[];
  shuffle: boolean;
  seed: number;
  tags: Record<string, ScalarValue>;
  onError: "record" | "throw";
  overwrite: boolean;
  timeoutMs: number | undefined;
  plan: ClosedLoopPlan | OpenLoopPlan;
}

const OPEN_KEYS = ["rps", "durationS", "arrival", "maxInFlight"] as const;
const CLOSED_KEYS = ["threads", "runsPerThread", "warmup", "sleepMs"] as const;

/**
 * Checks everything at once and lists every problem; nothing is clamped. A plan larger than one run
 * can hold (limits.ts) is refused here, before anything is deployed or written.
 */
export function resolveOptions(options: ExperimentOptions, now = new Date()): ResolvedOptions {
  const problems: string[] = [];
  const sizeProblems: string[] = [];
  const int = (key: keyof ExperimentOptions, min: number, fallback: number): number => {
    const value = options[key];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      problems.push(`"${key}" must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
    }
    return value as number;
  };
  const positive = (key: keyof ExperimentOptions): number | undefined => {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !(value > 0) || !Number.isFinite(value))) {
      problems.push(`"${key}" must be a positive number, got ${JSON.stringify(value)}`);
    }
    return value as number | undefined;
  };
  const isOpen = OPEN_KEYS.some((k) => options[k] !== undefined);
  if (isOpen && CLOSED_KEYS.some((k) => options[k] !== undefined)) {
    problems.push(
      `use either closed-loop options (${CLOSED_KEYS.join(", ")}) or open-loop ones (${OPEN_KEYS.join(", ")}), not both`,
    );
  }
  const payloads = options.payloads ?? [{}];
  if (!Array.isArray(payloads) || payloads.length === 0)
    problems.push(`"payloads" must be a non-empty array`);
  const name = options.name ?? defaultName(now);
  const nameProblem = experimentNameProblem(name);
  if (nameProblem) problems.push(`"name": ${nameProblem}`);
  if (options.onError !== undefined && options.onError !== "record" && options.onError !== "throw") {
    problems.push(`"onError" must be "record" or "throw", got ${JSON.stringify(options.onError)}`);
  }
  if (options.arrival !== undefined && options.arrival !== "poisson" && options.arrival !== "uniform") {
    problems.push(`"arrival" must be "poisson" or "uniform", got ${JSON.stringify(options.arrival)}`);
  }
  const seed = int("seed", 0, 42);
  const timeoutMs = positive("timeoutMs");
  const planProblems = problems.length; // the size is checked only when the plan's numbers are valid
  let plan: ClosedLoopPlan | OpenLoopPlan;
  if (isOpen) {
    const rps = positive("rps");
    const durationS = positive("durationS");
    if (rps === undefined) problems.push(`open loop needs "rps"`);
    if (durationS === undefined) problems.push(`open loop needs "durationS"`);
    plan = {
      mode: "open",
      rps: rps ?? 0,
      durationS: durationS ?? 0,
      arrival: options.arrival ?? "poisson",
      maxInFlight: int("maxInFlight", 1, 1000),
    };
    if (problems.length === planProblems) {
      sizeProblems.push(...openLoopSizeProblems(plan.rps, plan.durationS, plan.maxInFlight));
    }
  } else {
    plan = {
      mode: "closed",
      threads: int("threads", 1, 1),
      runsPerThread: int("runsPerThread", 1, 1),
      warmup: int("warmup", 0, 0),
      sleepMs: options.sleepMs === undefined ? 0 : nonNegative(options.sleepMs, problems),
    };
    if (problems.length === planProblems) {
      sizeProblems.push(...closedLoopSizeProblems(plan.threads, plan.runsPerThread, plan.warmup));
    }
  }
  const tags = options.tags ?? {};
  for (const [key, value] of Object.entries(tags)) {
    if (value !== null && !["string", "number", "boolean"].includes(typeof value)) {
      problems.push(`tag "${key}" must be a string, number, boolean or null`);
    }
  }
  if (problems.length || sizeProblems.length) {
    const hint = sizeProblems.length ? SIZE_HINT : "see the experiment options in README.md";
    throw new ConfigError([...problems, ...sizeProblems], undefined, hint);
  }
  return {
    name,
    payloads,
    shuffle: options.shuffle ?? false,
    seed,
    tags,
    onError: options.onError ?? "record",
    overwrite: options.overwrite ?? false,
    timeoutMs,
    plan,
  };
}

function nonNegative(value: unknown, problems: string[]): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    problems.push(`"sleepMs" must be a number ≥ 0, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

function defaultName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `exp-${stamp}`;
}
