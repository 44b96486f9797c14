import { performance } from "node:perf_hooks";
import { ConfigError, FaasLabError } from "../errors";
import { handleOf } from "../function/cloud-function";
import { defaultSignal } from "../interrupt-hook";
import { describeValue } from "./chunk-call";
import { settle, withoutSignal } from "./map";
import { DEFAULT_RETRIES, DEFAULT_WORKERS, resolveMapOptions } from "./options";
import { PipelineResult, type PassReport } from "./pipeline-result";
import { speedup, type StepReport } from "./report";
import type { MapResult } from "./result";
import { isStep, type ParallelStep, type PipelineStep, type SequentialStep } from "./steps";
import { runStep } from "./step-run";

export interface PipelineRunOptions {
  /** Also run the same pipeline with one invocation in flight per parallel step, and report the speedup. */
  baseline?: boolean;
  /** Experiment folder of every parallel step (default pipeline-<date>-<time>; the baseline adds "-baseline"). */
  name?: string;
  signal?: AbortSignal;
  /** As map's: "fail" (default) rejects with the step's MapError; "skip" drops the failed chunks' elements. */
  onChunkError?: "fail" | "skip";
  overwrite?: boolean;
}

const RUN_KEYS = ["baseline", "name", "signal", "onChunkError", "overwrite"];

export interface Pipeline {
  readonly steps: readonly PipelineStep[];
  run<R = unknown>(input: readonly unknown[], options?: PipelineRunOptions): Promise<PipelineResult<R>>;
}

/** Data streams through the steps in order: parallel ones as maps in the cloud, sequential ones here. */
export function pipeline(...steps: PipelineStep[]): Pipeline {
  const problems =
    steps.length === 0 ? ["pipeline() needs at least one step: parallel(fn) or sequential(fn)"] : [];
  steps.forEach((step, i) => {
    if (!isStep(step))
      problems.push(`step ${i + 1} is ${describeValue(step)}: wrap it in parallel(fn) or sequential(fn)`);
  });
  if (problems.length) throw new ConfigError(problems);
  return { steps: [...steps], run: (input, options) => runPipeline(steps, input, options ?? {}) };
}

async function runPipeline<R>(
  steps: readonly PipelineStep[],
  input: readonly unknown[],
  options: PipelineRunOptions,
): Promise<PipelineResult<R>> {
  if (!Array.isArray(input)) throw new TypeError("pipeline(...).run(input): input must be an array");
  const { baseline, ...mapLike } = options;
  const resolved = resolveMapOptions(mapLike, "pipeline", undefined, RUN_KEYS);
  const context = {
    signal: options.signal ?? defaultSignal(),
    onChunkError: resolved.onChunkError,
    overwrite: resolved.overwrite,
  };
  const main = await runPass(steps, input, resolved.name, false, context);
  const base = baseline ? await runPass(steps, input, `${resolved.name}-baseline`, true, context) : null;
  const output = main.output as R[];
  const report = {
    ...main.report,
    elements: input.length,
    elementsOut: output.length,
    baseline: base?.report ?? null,
    speedup: base ? speedup(base.report.durationMs, main.report.durationMs) : null,
  };
  return new PipelineResult<R>(output, report, main.maps, base?.maps ?? []);
}

interface PassContext {
  signal: AbortSignal | undefined;
  onChunkError: "fail" | "skip";
  overwrite: boolean;
}

async function runPass(
  steps: readonly PipelineStep[],
  input: readonly unknown[],
  name: string,
  baseline: boolean,
  context: PassContext,
): Promise<{ output: unknown[]; report: PassReport; maps: MapResult[] }> {
  let current: unknown[] = [...input];
  const reports: StepReport[] = [];
  const maps: MapResult[] = [];
  for (const [i, step] of steps.entries()) {
    if (context.signal?.aborted) {
      throw new FaasLabError(`pipeline "${name}" was aborted before step ${i + 1}`, {
        code: "MAP_ABORTED",
        phase: "invoke",
        hint: "the steps that finished are journaled under functions/<fn>/experiments/",
      });
    }
    if (step.kind === "parallel") {
      const { map, output } = await parallelStep(step, current, i + 1, name, baseline, context);
      maps.push(map);
      reports.push(map.report);
      current = output;
    } else {
      const { report, output } = await sequentialStep(step, current, i + 1, name);
      reports.push(report);
      current = output;
    }
  }
  const durationMs = reports.reduce((sum, r) => sum + r.durationMs, 0);
  return { output: current, report: { name, durationMs, steps: reports }, maps };
}

async function parallelStep(
  step: ParallelStep,
  elements: unknown[],
  index: number,
  name: string,
  baseline: boolean,
  context: PassContext,
): Promise<{ map: MapResult; output: unknown[] }> {
  const handle = handleOf(step.fn);
  const o = step.options;
  const workers = o.workers ?? (o.chunkSize === undefined ? DEFAULT_WORKERS : null);
  const run = await runStep({
    handle,
    elements,
    step: index,
    name,
    overwrite: context.overwrite,
    label: `${name} · step ${index}`,
    workers,
    chunkSize: o.chunkSize ?? null,
    maxChunkBytes: o.maxChunkBytes ?? null,
    inFlight: baseline ? 1 : undefined,
    retries: o.retries ?? DEFAULT_RETRIES,
    exact: false,
    signal: context.signal,
    options: { kind: "pipeline", step: index, baseline, elements: elements.length, ...withoutSignal(o) },
  });
  const map = settle(run, `pipeline "${name}" step ${index} (${handle.name})`, context.onChunkError);
  // Skipped chunks pass nothing on: the next step gets what did come back.
  return { map, output: run.outputs.flatMap((out) => out ?? []) };
}

async function sequentialStep(
  step: SequentialStep,
  elements: unknown[],
  index: number,
  name: string,
): Promise<{ report: StepReport; output: unknown[] }> {
  const t0 = performance.now();
  const output = await step.fn(elements);
  const durationMs = performance.now() - t0;
  if (!Array.isArray(output)) {
    throw new FaasLabError(
      `pipeline "${name}" step ${index} ("${step.name}") returned ${describeValue(output)}; a step must return an array`,
      {
        code: "PIPELINE_STEP_RESULT",
        phase: "invoke",
        hint: "return the elements for the next step, e.g. xs.sort(…) or xs.filter(…)",
      },
    );
  }
  const report: StepReport = {
    step: index,
    name: step.name,
    kind: "sequential",
    workers: 1,
    elements: elements.length,
    elementsOut: output.length,
    durationMs,
    chunks: 0,
    invocations: 0,
    coldStarts: 0,
    instances: 0,
    retried: 0,
    failedChunks: 0,
    missingElements: 0,
    aborted: false,
  };
  return { report, output };
}
