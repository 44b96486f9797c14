import { FaasLabError } from "../errors";
import type { ChunkOutcome } from "./report";

/** A chunk that produced no result: which elements, and why. */
export interface ChunkFailure {
  /** 0-based chunk index. */
  chunk: number;
  /** Its elements: input indices [start, end). */
  start: number;
  end: number;
  elements: number;
  errorType: string;
  errorMessage: string;
  /** Invocations made for it (retries included). */
  invocations: number;
}

/** How many failures the message names (all are in `failures`). */
const NAMED = 5;

/**
 * map() (or a pipeline's parallel step) could not produce every result. `partial` holds every result
 * that did come back, in place; each element of a chunk without a result is `undefined` — a hole JSON
 * never produces, so a function's own `null` stays `null`. `failures` lists each failed chunk.
 */
export class MapError<R = unknown> extends FaasLabError {
  readonly failures: ChunkFailure[];
  readonly partial: (R | undefined)[];
  /** True when the map's signal aborted it (chunks that had not finished are holes). */
  readonly aborted: boolean;

  constructor(
    what: string,
    failures: ChunkFailure[],
    partial: (R | undefined)[],
    options: { aborted: boolean; chunks: number; platform?: string },
  ) {
    const named = failures.slice(0, NAMED).map(describeFailure);
    if (failures.length > NAMED) named.push(`and ${failures.length - NAMED} more`);
    const head = options.aborted
      ? `${what} was aborted: ${failures.length} of ${options.chunks} chunks have no result`
      : `${what}: ${failures.length} of ${options.chunks} chunks failed`;
    super(named.length ? `${head}: ${named.join("; ")}` : head, {
      code: options.aborted ? "MAP_ABORTED" : "MAP_FAILED",
      phase: "invoke",
      platform: options.platform,
      hint: `err.partial holds every result that came back, in place (a missing chunk's elements are undefined) and err.failures each chunk; ${options.aborted ? "the finished chunks are journaled too" : 'onChunkError: "skip" resolves with the holes instead'}`,
    });
    this.failures = failures;
    this.partial = partial;
    this.aborted = options.aborted;
  }
}

export function describeFailure(f: ChunkFailure): string {
  const tries = f.invocations === 1 ? "1 invocation" : `${f.invocations} invocations`;
  const range = f.elements === 1 ? `element ${f.start}` : `elements ${f.start}–${f.end - 1}`;
  return `chunk ${f.chunk} (${range}): ${f.errorType}: ${f.errorMessage} (${tries})`;
}

/** The failures among outcomes (aborted and never-started chunks included, as "Aborted"). */
export function failuresOf(outcomes: readonly ChunkOutcome[]): ChunkFailure[] {
  return outcomes
    .filter((o) => o.status !== "ok")
    .map((o) => ({
      chunk: o.chunk.index,
      start: o.chunk.start,
      end: o.chunk.end,
      elements: o.chunk.end - o.chunk.start,
      errorType: o.errorType ?? (o.status === "failed" ? "Error" : "Aborted"),
      errorMessage:
        o.errorMessage ?? (o.status === "not started" ? "not started: the map was aborted" : "no result"),
      invocations: o.invocations,
    }));
}
