/**
 * The REPORT line Lambda writes after every invocation, read from the log tail of an invoke with
 * `LogType: "Tail"` (the last 4 KB of the log, base64; REPORT is the last line, so it survives the cut).
 *
 * Text format: `REPORT RequestId: <id>\tDuration: 395.99 ms\tBilled Duration: 662 ms\tMemory Size: 512 MB\t
 * Max Memory Used: 301 MB\tInit Duration: 265.72 ms\t` (Init Duration on cold starts only).
 * JSON format (LoggingConfig.LogFormat "JSON"): a `{"type":"platform.report","record":{"requestId",
 * "metrics":{durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB, initDurationMs?}}}` line.
 */
export interface LambdaReport {
  requestId: string | null;
  durationMs: number | null;
  /** Includes the billed INIT phase on cold starts (on-demand ZIP functions, since 2025-08-01). */
  billedMs: number | null;
  memorySizeMb: number | null;
  maxMemoryUsedMb: number | null;
  /** Present on cold starts only. */
  initMs: number | null;
}

export function decodeLog(logResult: string | undefined): string {
  return logResult ? Buffer.from(logResult, "base64").toString("utf8") : "";
}

/** The report in a log tail (base64 as the SDK returns it), or null when the tail has none. */
export function parseReport(logResult: string | undefined): LambdaReport | null {
  return parseReportText(decodeLog(logResult));
}

export function parseReportText(log: string): LambdaReport | null {
  const lines = log.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line.startsWith("REPORT ")) return fromTextLine(line);
    if (line.startsWith("{") && line.includes("platform.report")) {
      const report = fromJsonLine(line);
      if (report) return report;
    }
  }
  return null;
}

/** Longer labels first: at "Billed Duration" the scan takes the whole label, never its "Duration". */
const TEXT_FIELDS =
  /(Billed Restore Duration|Restore Duration|Billed Duration|Init Duration|Max Memory Used|Memory Size|Duration): ([\d.]+) (?:ms|MB)/g;

function fromTextLine(line: string): LambdaReport {
  const values = new Map<string, number>();
  for (const [, label, value] of line.matchAll(TEXT_FIELDS))
    if (!values.has(label)) values.set(label, Number(value));
  const field = (label: string): number | null => values.get(label) ?? null;
  return {
    requestId: /RequestId: ([\w-]+)/.exec(line)?.[1] ?? null,
    durationMs: field("Duration"),
    billedMs: field("Billed Duration"),
    memorySizeMb: field("Memory Size"),
    maxMemoryUsedMb: field("Max Memory Used"),
    initMs: field("Init Duration"),
  };
}

function fromJsonLine(line: string): LambdaReport | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  const event = parsed as {
    type?: unknown;
    record?: { requestId?: unknown; metrics?: Record<string, unknown> };
  };
  if (event?.type !== "platform.report" || typeof event.record?.metrics !== "object") return null;
  const metrics = event.record.metrics;
  const number = (key: string): number | null =>
    typeof metrics[key] === "number" ? (metrics[key] as number) : null;
  return {
    requestId: typeof event.record.requestId === "string" ? event.record.requestId : null,
    durationMs: number("durationMs"),
    billedMs: number("billedDurationMs"),
    memorySizeMb: number("memorySizeMB"),
    maxMemoryUsedMb: number("maxMemoryUsedMB"),
    initMs: number("initDurationMs"),
  };
}
