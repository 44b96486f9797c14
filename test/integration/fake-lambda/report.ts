/** Lambda's text log format for one invocation: START … END … REPORT, and the 4 KB tail Invoke returns. */

export const LOG_TAIL_BYTES = 4096;

export interface ReportFigures {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Set on the first invocation of an execution environment (a cold start). */
  initMs: number | null;
  status?: "timeout" | "error";
  errorType?: string;
}

/**
 * Billed duration since 2025-08-01 (INIT billed for on-demand zip functions on managed runtimes):
 * 1 ms granularity over duration + init, as in AWS's own example (395.99 + 265.72 → 662).
 */
export function billedMs(durationMs: number, initMs: number | null): number {
  return Math.max(1, Math.ceil(durationMs + (initMs ?? 0)));
}

export const startLine = (requestId: string): string => `START RequestId: ${requestId} Version: $LATEST\n`;

export const endLine = (requestId: string): string => `END RequestId: ${requestId}\n`;

export function reportLine(r: ReportFigures): string {
  const fields = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedMs(r.durationMs, r.initMs)} ms`,
    `Memory Size: ${r.memorySizeMb} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMb} MB`,
  ];
  if (r.initMs !== null) fields.push(`Init Duration: ${r.initMs.toFixed(2)} ms`);
  if (r.status) fields.push(`Status: ${r.status}`);
  if (r.errorType) fields.push(`Error Type: ${r.errorType}`);
  return `${fields.join("\t")}\t\n`;
}

export function timeoutLine(requestId: string, timeoutS: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutS.toFixed(2)} seconds\n`;
}

/** The last 4 KB of the log, base64 (X-Amz-Log-Result); cut on bytes as Lambda does. */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, "utf8");
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString("base64");
}
