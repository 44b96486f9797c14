import { closestName } from "../config/schema";
import { ConfigError } from "../errors";
import { PAYLOAD_JSON_HINT, payloadProblems } from "../function/payload";
import type { ScalarValue } from "../runtime/envelope";
import type { ExperimentProgress } from "./progress";
import { experimentNameProblem } from "./store/names";
import { storedPayload } from "./stored-payloads";
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
  /**
   * Keep recording the instance timeline this many seconds past the last request, so the scale-down
   * is captured (default 0; ended early by `signal`). Only where the platform reports instances.
   */
  observeAfterS?: number;
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
  /** The payloads as meta.json keeps them: up to PAYLOAD_INLINE_BYTES of JSON as sent, larger as a digest. */
  storedPayloads: unknown[];
  shuffle: boolean;
  seed: number;
  tags: Record<string, ScalarValue>;
  onError: "record" | "throw";
  overwrite: boolean;
  timeoutMs: number | undefined;
  observeAfterS: number;
  plan: ClosedLoopPlan | OpenLoopPlan;
}

/** Every key of ExperimentOptions: the type makes the compiler reject a missing or extra one. */
const KNOWN: Record<keyof ExperimentOptions, true> = {
  name: true,
  threads: true,
  runsPerThread: true,
  payloads: true,
  shuffle: true,
  seed: true,
  tags: true,
  warmup: true,
  sleepMs: true,
  signal: true,
  onError: true,
  onProgress: true,
  overwrite: true,
  timeoutMs: true,
  rps: true,
  durationS: true,
  arrival: true,
  maxInFlight: true,
  observeAfterS: true,
};
const OPTION_KEYS = Object.keys(KNOWN);

const OPEN_KEYS = ["rps", "durationS", "arrival", "maxInFlight"] as const;
const CLOSED_KEYS = ["threads", "runsPerThread", "warmup", "sleepMs"] as const;

/**
 * Checks everything at once and lists every problem; nothing is clamped. A plan larger than one run
 * can hold (limits.ts) is refused here, before anything is deployed or written.
 */
export function resolveOptions(options: ExperimentOptions, now = new Date()): ResolvedOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ConfigError([`experiment options must be an object, got ${show(options)}`]);
  }
  const problems: string[] = unknownOptions(options);
  const sizeProblems: string[] = [];
  const int = (key: keyof ExperimentOptions, min: number, fallback: number): number => {
    const value = options[key];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      problems.push(`"${key}" must be a whole number ≥ ${min}, got ${show(value)}`);
    }
    return value as number;
  };
  const positive = (key: keyof ExperimentOptions): number | undefined => {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !(value > 0) || !Number.isFinite(value))) {
      problems.push(`"${key}" must be a positive number, got ${show(value)}`);
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
  let payloadProblemCount = 0;
  let storedPayloads: unknown[] = [];
  if (!Array.isArray(payloads) || payloads.length === 0)
    problems.push(`"payloads" must be a non-empty array`);
  else {
    const checked = checkPayloads(payloads);
    payloadProblemCount = checked.problems.length;
    problems.push(...checked.problems);
    storedPayloads = checked.stored;
  }
  const name = options.name ?? defaultName(now);
  const nameProblem = experimentNameProblem(name);
  if (nameProblem) problems.push(`"name": ${nameProblem}`);
  if (options.onError !== undefined && options.onError !== "record" && options.onError !== "throw") {
    problems.push(`"onError" must be "record" or "throw", got ${show(options.onError)}`);
  }
  if (options.arrival !== undefined && options.arrival !== "poisson" && options.arrival !== "uniform") {
    problems.push(`"arrival" must be "poisson" or "uniform", got ${show(options.arrival)}`);
  }
  const seed = int("seed", 0, 42);
  const timeoutMs = positive("timeoutMs");
  const observeAfterS =
    options.observeAfterS === undefined ? 0 : atLeastZero(options, "observeAfterS", problems);
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
    let hint = "see the experiment options in README.md";
    if (payloadProblemCount > 0) hint = PAYLOAD_JSON_HINT;
    else if (sizeProblems.length) hint = SIZE_HINT;
    throw new ConfigError([...problems, ...sizeProblems], undefined, hint);
  }
  return {
    name,
    payloads,
    storedPayloads,
    shuffle: options.shuffle ?? false,
    seed,
    tags,
    onError: options.onError ?? "record",
    overwrite: options.overwrite ?? false,
    timeoutMs,
    observeAfterS,
    plan,
  };
}

/**
 * One JSON.stringify per payload gives both: every payload JSON cannot carry, each bad value named by
 * its path ("payloads[2].a.b is a BigInt"), and the form meta.json keeps (small ones as sent, large
 * ones as a digest).
 */
function checkPayloads(payloads: readonly unknown[]): { problems: string[]; stored: unknown[] } {
  const problems: string[] = [];
  const stored: unknown[] = [];
  for (let index = 0; index < payloads.length; index++) {
    const payload = payloads[index];
    try {
      stored.push(storedPayload(JSON.stringify(payload)));
    } catch (error) {
      problems.push(...payloadProblems(payload, `payloads[${index}]`, error));
    }
  }
  return { problems, stored };
}

/** `{ thread: 4 }` is a typo, not a wish: every key ExperimentOptions does not have, with a suggestion. */
function unknownOptions(options: ExperimentOptions): string[] {
  return Object.keys(options)
    .filter((key) => !Object.hasOwn(KNOWN, key))
    .map((key) => {
      const close = closestName(key, OPTION_KEYS);
      return close
        ? `unknown option "${key}" (did you mean "${close}"?)`
        : `unknown option "${key}" (known: ${OPTION_KEYS.join(", ")})`;
    });
}

function nonNegative(value: unknown, problems: string[]): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    problems.push(`"sleepMs" must be a number ≥ 0, got ${show(value)}`);
  }
  return value as number;
}

function atLeastZero(options: ExperimentOptions, key: "observeAfterS", problems: string[]): number {
  const value = options[key];
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    problems.push(`"${key}" must be a number of seconds ≥ 0, got ${show(value)}`);
  }
  return value as number;
}

/** A value in a message: JSON where it can be, else its String() (a BigInt, a symbol, a cycle). */
function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value === "bigint" ? `${value}n` : String(value);
  }
}

function defaultName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `exp-${stamp}`;
}
