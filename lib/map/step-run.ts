import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { ConfigError } from "../errors";
import { holdConfig } from "../function/config-hold";
import type { FunctionHandle } from "../function/handle";
import type { ExperimentResult } from "../experiment/result";
import { toRow } from "../experiment/row";
import { platformModule } from "../registry";
import { planChunks, type Chunk } from "./chunks";
import { invokeChunk, MISMATCH, resultProblem } from "./chunk-call";
import { StepJournal } from "./journal";
import { MapProgressTracker } from "./progress";
import { stepFigures, type ChunkOutcome, type MapReport } from "./report";

/** One parallel step: a map, a pipeline's parallel step, or its baseline. */
export interface StepSpec {
  handle: FunctionHandle;
  elements: readonly unknown[];
  /** 1-based place in the pipeline (1 for a map); the rows' `step` column. */
  step: number;
  /** Experiment folder under functions/<fn>/experiments/. */
  name: string;
  overwrite: boolean;
  /** Shown on the progress bar. */
  label: string;
  workers: number | null;
  chunkSize: number | null;
  maxChunkBytes: number | null;
  /** Most chunks in flight; default: workers, else every chunk. */
  inFlight?: number;
  retries: number;
  /** One result per element (map) rather than any array per chunk (a pipeline step may filter). */
  exact: boolean;
  signal: AbortSignal | undefined;
  /** What meta.json records as the options. */
  options: Record<string, unknown>;
}

export interface StepRun {
  chunks: Chunk[];
  /** Each chunk's results; undefined where it has none. */
  outputs: (unknown[] | undefined)[];
  outcomes: ChunkOutcome[];
  report: MapReport;
  experiment: ExperimentResult;
}

/**
 * Cuts the input into chunks (errors before anything is sent), deploys, then runs the chunks with at
 * most `inFlight` invocations at once; a failed chunk is invoked again up to `retries` times. Every
 * invocation is a journaled row; a failure never stops the other chunks, an abort stops new ones.
 */
export async function runStep(spec: StepSpec): Promise<StepRun> {
  const { handle, signal } = spec;
  const prepared = handle.prepare();
  const chunks = planChunks(spec.elements, {
    workers: spec.workers,
    chunkSize: spec.chunkSize,
    ...byteLimit(prepared.platform, prepared.config, spec.maxChunkBytes),
  });
  if (signal) setMaxListeners(0, signal);
  const release = holdConfig(prepared, spec.name);
  try {
    const deployment = await handle.deploy({ signal });
    const journal = new StepJournal(prepared.workspace, deployment, spec.name, spec.overwrite, spec.options);
    const inFlight = Math.max(1, Math.min(spec.inFlight ?? spec.workers ?? chunks.length, chunks.length));
    const tracker = new MapProgressTracker(spec.label, handle.name, chunks.length, spec.elements.length);
    const outputs: (unknown[] | undefined)[] = new Array(chunks.length).fill(undefined);
    const outcomes: ChunkOutcome[] = chunks.map((chunk) => ({
      chunk,
      status: "not started",
      invocations: 0,
      errorType: null,
      errorMessage: null,
    }));
    let next = 0;
    let seq = 0;
    const runChunk = async (outcome: ChunkOutcome, lane: number): Promise<void> => {
      const { chunk } = outcome;
      const payload = spec.elements.slice(chunk.start, chunk.end);
      for (let attempt = 0; attempt <= spec.retries && !signal?.aborted; attempt++) {
        const concurrencyAtStart = ++tracker.inFlight;
        const record = await invokeChunk(handle, payload, signal).finally(() => (tracker.inFlight -= 1));
        outcome.invocations += 1;
        const placement = {
          experiment: spec.name,
          thread: lane,
          run: attempt,
          seq: seq++,
          payloadIndex: chunk.index,
        };
        const tags = { step: spec.step, chunk: chunk.index, elements: chunk.end - chunk.start };
        const row = toRow(record, { ...placement, warmup: false, concurrencyAtStart, tags });
        const problem = record.failed ? null : resultProblem(record.result, chunk, spec.exact);
        if (problem) Object.assign(row, { failed: true, errorType: MISMATCH, errorMessage: problem });
        journal.append(row);
        if (!record.failed && !problem) {
          outputs[chunk.index] = record.result as unknown[];
          Object.assign(outcome, { status: "ok", errorType: null, errorMessage: null });
          return;
        }
        outcome.status = signal?.aborted ? "aborted" : "failed";
        outcome.errorType = row.errorType === null ? "Error" : String(row.errorType);
        outcome.errorMessage = row.errorMessage === null ? "" : String(row.errorMessage);
        if (problem) return; // the same input gives the same answer: no retry
      }
    };
    tracker.start();
    const t0 = performance.now();
    let failure: unknown = null;
    // A lane that fails (a journal that cannot be written, e.g. a full disk) stops the others from
    // starting new chunks, and the journal is finished only once every lane has stopped.
    const lanes = await Promise.allSettled(
      Array.from({ length: inFlight }, async (_, lane) => {
        while (!signal?.aborted && failure === null && next < chunks.length) {
          const outcome = outcomes[next++];
          try {
            await runChunk(outcome, lane);
          } catch (error) {
            failure ??= error;
            throw error;
          }
          tracker.chunkDone(outcome.chunk.end - outcome.chunk.start, outcome.status !== "ok");
        }
      }),
    );
    for (const lane of lanes) if (lane.status === "rejected") failure ??= lane.reason;
    const durationMs = performance.now() - t0;
    tracker.finish();
    const aborted = signal?.aborted ?? false;
    const experiment = journal.finish(aborted, failure);
    const figures = stepFigures(outcomes, experiment.allRows);
    const report: MapReport = {
      step: spec.step,
      name: handle.name,
      kind: "parallel",
      workers: inFlight,
      elements: spec.elements.length,
      elementsOut: outputs.reduce((sum, out) => sum + (out?.length ?? 0), 0),
      durationMs,
      ...figures,
      aborted,
      experiment: spec.name,
      functionName: handle.name,
      platform: deployment.platform,
      chunkSize: chunks.reduce((max, c) => Math.max(max, c.end - c.start), 0),
    };
    return { chunks, outputs, outcomes, report, experiment };
  } finally {
    release();
  }
}

/** The byte limit of a chunk: maxChunkBytes, never above the platform's declared request limit. */
function byteLimit(
  platform: string,
  config: Record<string, unknown>,
  maxChunkBytes: number | null,
): { maxBytes: number | null; limitSource: string } {
  const declared = platformModule(platform).maxPayloadBytes?.(config) ?? null;
  if (maxChunkBytes !== null && declared !== null && maxChunkBytes > declared) {
    throw new ConfigError(
      [
        `"maxChunkBytes" is ${maxChunkBytes.toLocaleString("en-US")}, over the ${platform} platform's request limit of ${declared.toLocaleString("en-US")} bytes`,
      ],
      platform,
      "leave maxChunkBytes out to use the platform's limit, or set a smaller one",
    );
  }
  if (maxChunkBytes !== null) return { maxBytes: maxChunkBytes, limitSource: "maxChunkBytes" };
  return { maxBytes: declared, limitSource: `the ${platform} platform's request limit` };
}
