import { performance } from "node:perf_hooks";
import { FaasLabError } from "../errors";
import type { FunctionHandle } from "../function/handle";
import { roundMs } from "../function/invoke";
import { toRecord } from "../function/record-builder";
import { failedInvocation } from "../invocation-results";
import type { ResolvedOptions } from "./options";
import type { ProgressTracker } from "./progress";
import type { InvocationRecord } from "./record";
import { toRow, type Row } from "./row";
import { cost } from "../stats/cost";
import { platformPricing } from "../stats/prices";
import type { ExperimentWriter } from "./store";
import { OverviewCounter } from "./overview";

/**
 * The one step both loops repeat: invoke, turn the record into a row, journal it, count it. Rows are
 * not kept here (the writer keeps what fits its budget); the overview is counted as they come.
 */
export class RunContext {
  readonly overview = new OverviewCounter();
  /** The row kept last (for benchmarks of the runner's own cost). */
  lastRow: Row | null = null;
  private seq = 0;

  constructor(
    private readonly handle: FunctionHandle,
    private readonly options: ResolvedOptions,
    private readonly writer: ExperimentWriter,
    readonly tracker: ProgressTracker,
    private readonly signal: AbortSignal | undefined,
  ) {}

  get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** `schedule` (open loop): when the request was due, as epoch ms and as performance.now(). */
  async invokeOne(
    payloadIndex: number,
    thread: number,
    run: number,
    warmup: boolean,
    schedule?: { scheduledAt: number; dueAt: number },
  ): Promise<void> {
    const concurrencyAtStart = ++this.tracker.inFlight;
    const seq = this.seq++;
    // How late the request leaves against its schedule (wrk2's point): measured as it is handed over.
    const sendDelayMs = schedule ? roundMs(Math.max(0, performance.now() - schedule.dueAt)) : null;
    let record: InvocationRecord;
    try {
      record = await this.invokeRecorded(this.options.payloads[payloadIndex]);
    } finally {
      this.tracker.inFlight -= 1;
    }
    const scheduledAt = schedule?.scheduledAt ?? null;
    this.keep(record, {
      payloadIndex,
      thread,
      run,
      seq,
      warmup,
      concurrencyAtStart,
      scheduledAt,
      sendDelayMs,
    });
  }

  /** An arrival that was never sent (open loop at its in-flight cap): a row, so nothing is hidden. */
  recordSkipped(payloadIndex: number, run: number, reason: string, scheduledAt: number | null = null): void {
    const record = this.failedRecord({ startedAt: Date.now(), roundTripMs: 0 }, "ClientSaturated", reason);
    this.keep(record, {
      scheduledAt,
      sendDelayMs: null,
      payloadIndex,
      thread: 0,
      run,
      seq: this.seq++,
      warmup: false,
      concurrencyAtStart: this.tracker.inFlight,
    });
  }

  private keep(
    record: InvocationRecord,
    at: {
      payloadIndex: number;
      thread: number;
      run: number;
      seq: number;
      warmup: boolean;
      concurrencyAtStart: number;
      scheduledAt?: number | null;
      sendDelayMs?: number | null;
    },
  ): void {
    const row = toRow(record, { ...at, experiment: this.options.name, tags: this.options.tags });
    // Priced per row from the platform's price table (none, e.g. an unbilled platform: costUsd stays null).
    if (isPriced(record.platform)) row.costUsd = cost([row], record.platform).perInvocationUsd[0] ?? null;
    this.writer.append(row);
    this.overview.add(row);
    this.lastRow = row;
    if (!at.warmup) this.tracker.completed(record.failed);
  }

  /** Function errors come back as records; an infrastructure failure becomes one too, unless onError is "throw". */
  private async invokeRecorded(payload: unknown): Promise<InvocationRecord> {
    const startedAt = Date.now();
    const t0 = performance.now();
    try {
      return await this.handle.invoke(payload, { signal: this.signal, timeoutMs: this.options.timeoutMs });
    } catch (error) {
      if (this.options.onError === "throw") throw error;
      const code = error instanceof FaasLabError ? error.code : ((error as Error)?.name ?? "Error");
      const roundTripMs = roundMs(performance.now() - t0);
      return this.failedRecord({ startedAt, roundTripMs }, code, (error as Error)?.message ?? String(error));
    }
  }

  private failedRecord(
    timing: { startedAt: number; roundTripMs: number },
    errorType: string,
    errorMessage: string,
  ): InvocationRecord {
    const { platform, config } = this.handle.prepare();
    const subject = { functionName: this.handle.name, platform, config };
    const clientTiming = { ...timing, endedAt: timing.startedAt + timing.roundTripMs, payloadBytes: null };
    return toRecord(subject, failedInvocation(errorType, errorMessage, { attempts: 1 }), clientTiming);
  }
}

const priced = new Map<string, boolean>();

/** Whether the platform's defaults.json has a price table (read once per platform). */
export function isPriced(platform: string): boolean {
  let known = priced.get(platform);
  if (known === undefined) {
    try {
      known = platformPricing(platform).prices !== null;
    } catch {
      known = false; // a platform without defaults.json (e.g. registered at run time) has no prices
    }
    priced.set(platform, known);
  }
  return known;
}
