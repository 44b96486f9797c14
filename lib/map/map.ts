import { handleOf, type CloudFunction } from "../function/cloud-function";
import { defaultSignal } from "../interrupt-hook";
import { failuresOf, MapError } from "./map-error";
import { DEFAULT_WORKERS, resolveMapOptions, type MapOptions } from "./options";
import { MapResult } from "./result";
import { runStep, type StepRun } from "./step-run";

/**
 * Runs `fn` over `elements` in parallel: the input is cut into chunks, each chunk is one invocation
 * (`fn` receives an array and returns one result per element), at most `workers` at once, and the
 * results come back in input order. See MapOptions and README ("Parallel map and pipelines").
 */
export async function map<T, R>(
  fn: CloudFunction<T[], R[]>,
  elements: readonly T[],
  options: MapOptions = {},
): Promise<MapResult<R>> {
  const handle = handleOf(fn);
  if (!Array.isArray(elements)) throw new TypeError("map(fn, elements): elements must be an array");
  const resolved = resolveMapOptions(options, "map");
  const workers = resolved.workers ?? (resolved.chunkSize === null ? DEFAULT_WORKERS : null);
  const run = await runStep({
    handle,
    elements,
    step: 1,
    name: resolved.name,
    overwrite: resolved.overwrite,
    label: resolved.name,
    workers,
    chunkSize: resolved.chunkSize,
    maxChunkBytes: resolved.maxChunkBytes,
    retries: resolved.retries,
    exact: true,
    signal: options.signal ?? defaultSignal(),
    options: { kind: "map", elements: elements.length, ...withoutSignal(options) },
  });
  return settle<R>(run, `map "${resolved.name}" of ${handle.name}`, resolved.onChunkError);
}

/** The results in input order with undefined holes; rejects with a MapError unless skipping. */
export function settle<R>(run: StepRun, what: string, onChunkError: "fail" | "skip"): MapResult<R> {
  const results = collate<R>(run);
  const failures = failuresOf(run.outcomes);
  if (failures.length > 0 && (onChunkError === "fail" || run.report.aborted)) {
    throw new MapError<R>(what, failures, results, {
      aborted: run.report.aborted,
      chunks: run.chunks.length,
      platform: run.report.platform,
    });
  }
  // Holes (undefined) remain only in "skip" mode, where `failures` names them.
  return new MapResult<R>(results as R[], run.report, run.experiment, failures);
}

/** Each chunk's results in chunk order; a chunk without results gives one undefined per element. */
export function collate<R>(run: StepRun): (R | undefined)[] {
  const out: (R | undefined)[] = [];
  run.chunks.forEach((chunk, i) => {
    const results = run.outputs[i] as R[] | undefined;
    if (results) for (const r of results) out.push(r);
    else for (let k = chunk.start; k < chunk.end; k++) out.push(undefined);
  });
  return out;
}

/** meta.json keeps the options as given, without the signal (not JSON). */
export function withoutSignal(options: object): Record<string, unknown> {
  const { signal: _signal, ...rest } = options as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}
