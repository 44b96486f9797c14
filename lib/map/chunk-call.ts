import { performance } from "node:perf_hooks";
import { FaasLabError } from "../errors";
import type { FunctionHandle } from "../function/handle";
import { roundMs } from "../function/invoke";
import { toRecord } from "../function/record-builder";
import { failedInvocation } from "../invocation-results";
import type { InvocationRecord } from "../experiment/record";
import type { Chunk } from "./chunks";

/**
 * One invocation of a chunk, as a record: a function error is a failed record (data), and so is an
 * infrastructure failure (a throttle, a lost connection), so the chunk can be retried on a fresh call.
 */
export async function invokeChunk(
  handle: FunctionHandle,
  payload: unknown[],
  signal: AbortSignal | undefined,
): Promise<InvocationRecord> {
  const startedAt = Date.now();
  const t0 = performance.now();
  try {
    return await handle.invoke(payload, { signal });
  } catch (error) {
    const roundTripMs = roundMs(performance.now() - t0);
    const errorType = error instanceof FaasLabError ? error.code : ((error as Error)?.name ?? "Error");
    const { platform, config } = handle.prepare();
    const subject = { functionName: handle.name, platform, config };
    const timing = { startedAt, endedAt: startedAt + roundTripMs, roundTripMs, payloadBytes: null };
    return toRecord(
      subject,
      failedInvocation(errorType, (error as Error)?.message ?? String(error), { attempts: 1 }),
      timing,
    );
  }
}

/** The errorType of a chunk whose function answered, but not with one result per element. */
export const MISMATCH = "ChunkResultMismatch";

/**
 * Why a chunk's answer cannot be collated, or null when it can: an array is required, and in a map
 * (`exact`) one result per element, so results line up with the input.
 */
export function resultProblem(result: unknown, chunk: Chunk, exact: boolean): string | null {
  const expected = chunk.end - chunk.start;
  if (!Array.isArray(result)) {
    return `returned ${describeValue(result)}; a chunk function must return an array${exact ? ` of ${expected} results, one per element` : ""}`;
  }
  if (exact && result.length !== expected) {
    return `returned an array of ${result.length} result${result.length === 1 ? "" : "s"} for ${expected} element${expected === 1 ? "" : "s"}; a chunk function must return one result per element, in order`;
  }
  return null;
}

/** "an object {"a":1}", "a number 3", "undefined" — short, for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  if (json.length > 60) json = `${json.slice(0, 57)}…`;
  const kind = typeof value === "object" ? "an object" : `a ${typeof value}`;
  return `${kind} ${json}`;
}
