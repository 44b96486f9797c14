import { performance } from "node:perf_hooks";
import { FaasLabError } from "../errors";
import type { FunctionHandle } from "../function/cloud-function";
import type { ResolvedOptions } from "./options";
import type { ProgressTracker } from "./progress";
import type { InvocationRecord } from "./record";
import { toRow, type Row } from "./row";
import { cost } from "../stats/cost";
import type { ExperimentWriter } from "./store";

/** The one step both loops repeat: invoke, turn the record into a row, journal it, count it. */
export class RunContext {
  readonly rows: Row[] = [];
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

  async invokeOne(payloadIndex: number, thread: number, run: number, warmup: boolean): Promise<void> {
    const concurrencyAtStart = ++this.tracker.inFlight;
    const seq = this.seq++;
    let record: InvocationRecord;
    try {
      record = await this.invokeRecorded(this.options.payloads[payloadIndex]);
    } finally {
      this.tracker.inFlight -= 1;
    }
    this.keep(record, { payloadIndex, thread, run, seq, warmup, concurrencyAtStart });
  }

  /** An arrival that was never sent (open loop at its in-flight cap): a row, so nothing is hidden. */
  recordSkipped(payloadIndex: number, run: number, reason: string): void {
    const now = Date.now();
    const record = failedRecord(this.handle, { startedAt: now, roundTripMs: 0 }, "ClientSaturated", reason);
    this.keep(record, {
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
    },
  ): void {
    const row = toRow(record, { ...at, experiment: this.options.name, tags: this.options.tags });
    // Priced per row from the platform's defaults.json (local has no prices: costUsd stays null).
    if (record.platform !== "local") row.costUsd = cost([row], record.platform).perInvocationUsd[0] ?? null;
    this.rows.push(row);
    this.writer.append(row);
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
      const roundTripMs = Math.round((performance.now() - t0) * 1000) / 1000;
      return failedRecord(
        this.handle,
        { startedAt, roundTripMs },
        code,
        (error as Error)?.message ?? String(error),
      );
    }
  }
}

function failedRecord(
  handle: FunctionHandle,
  timing: { startedAt: number; roundTripMs: number },
  errorType: string,
  errorMessage: string,
): InvocationRecord {
  const prepared = handle.prepare();
  const memory = prepared.config.memory;
  return {
    experiment: null,
    functionName: handle.name,
    platform: prepared.platform,
    memoryMb: typeof memory === "number" ? memory : null,
    thread: null,
    run: null,
    seq: null,
    payloadIndex: null,
    requestId: null,
    startedAt: timing.startedAt,
    endedAt: timing.startedAt + timing.roundTripMs,
    roundTripMs: timing.roundTripMs,
    runtimeMs: null,
    latencyMs: null,
    coldStart: null,
    instanceId: null,
    instanceInvocations: null,
    cpuType: null,
    cpuModel: null,
    cpuCores: null,
    architecture: null,
    hostBootTime: null,
    region: null,
    billedMs: null,
    initMs: null,
    maxMemoryUsedMb: null,
    costUsd: null,
    failed: true,
    timedOut: false,
    errorType,
    errorMessage,
    errorStack: null,
    attempts: 1,
    statusCode: null,
    payloadBytes: null,
    responseBytes: null,
    result: undefined,
    attributes: {},
  };
}
