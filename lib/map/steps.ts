import { ConfigError } from "../errors";
import { handleOf, type CloudFunction } from "../function/cloud-function";
import { resolveMapOptions } from "./options";

/** A pipeline step run as a map over a cloud function: each chunk returns an array (any length). */
export interface ParallelStep {
  readonly kind: "parallel";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly fn: CloudFunction<any, any>;
  readonly options: ParallelOptions;
}

/** A pipeline step run in the notebook on everything collated so far. */
export interface SequentialStep {
  readonly kind: "sequential";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly fn: (elements: any[]) => unknown[] | Promise<unknown[]>;
  readonly name: string;
}

export type PipelineStep = ParallelStep | SequentialStep;

/** A parallel step's chunking, as map's (the pipeline's run() gives name, signal and error mode). */
export interface ParallelOptions {
  workers?: number;
  chunkSize?: number;
  maxChunkBytes?: number;
  retries?: number;
}

const PARALLEL_KEYS = ["workers", "chunkSize", "maxChunkBytes", "retries"];

/**
 * A pipeline step that runs `fn` (a cloudFunction) over chunks of its input in parallel. Unlike
 * map(), a chunk may return fewer or more elements than it got (a filter): the chunks' arrays are
 * joined in order.
 */
export function parallel<T, R>(fn: CloudFunction<T[], R[]>, options: ParallelOptions = {}): ParallelStep {
  handleOf(fn); // refuses anything that is not a cloud function, now rather than at run()
  resolveMapOptions(options, "step", undefined, PARALLEL_KEYS);
  return { kind: "parallel", fn, options: { ...options } };
}

/** A pipeline step that runs `fn` here, in the notebook, on all elements collated so far. */
export function sequential<T, R>(
  fn: (elements: T[]) => R[] | Promise<R[]>,
  options: { name?: string } = {},
): SequentialStep {
  if (typeof fn !== "function")
    throw new ConfigError([`sequential(fn): expected a function, got ${typeof fn}`]);
  const name = options.name ?? (fn.name || "sequential");
  return { kind: "sequential", fn: fn as SequentialStep["fn"], name };
}

export function isStep(value: unknown): value is PipelineStep {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof value === "object" && value !== null && (kind === "parallel" || kind === "sequential");
}
