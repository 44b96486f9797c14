import { test } from "node:test";
import assert from "node:assert/strict";
import { parseReport, parseReportText } from "../../../../platforms/aws/report";

const b64 = (text: string) => Buffer.from(text).toString("base64");

const COLD =
  "START RequestId: 8c5a-1 Version: $LATEST\n" +
  "2026-11-22T10:00:00.000Z\t8c5a-1\tINFO\thello\n" +
  "END RequestId: 8c5a-1\n" +
  "REPORT RequestId: 8c5a-1\tDuration: 395.99 ms\tBilled Duration: 662 ms\tMemory Size: 512 MB\tMax Memory Used: 301 MB\tInit Duration: 265.72 ms\t\n";

test("text format, cold: every figure, Init Duration included", () => {
  assert.deepEqual(parseReport(b64(COLD)), {
    requestId: "8c5a-1",
    durationMs: 395.99,
    billedMs: 662,
    memorySizeMb: 512,
    maxMemoryUsedMb: 301,
    initMs: 265.72,
  });
});

test("text format, warm: no Init Duration → initMs null; 'Duration' is not confused with Billed/Init Duration", () => {
  const warm =
    "REPORT RequestId: 8c5a-2\tBilled Duration: 3 ms\tDuration: 2.51 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t";
  const report = parseReportText(warm);
  assert.equal(report?.durationMs, 2.51);
  assert.equal(report?.billedMs, 3);
  assert.equal(report?.initMs, null);
  assert.equal(report?.maxMemoryUsedMb, 70);
});

test("text format followed by an XRAY line, and fractional values everywhere", () => {
  const log =
    "REPORT RequestId: r\tDuration: 1.5 ms\tBilled Duration: 2.5 ms\tMemory Size: 128 MB\tMax Memory Used: 64.5 MB\t\nXRAY TraceId: 1-abc\tSegmentId: d\tSampled: true\n";
  const report = parseReportText(log);
  assert.equal(report?.billedMs, 2.5);
  assert.equal(report?.maxMemoryUsedMb, 64.5);
});

test("JSON log format: the platform.report record, with and without initDurationMs", () => {
  const record = (metrics: Record<string, number>) =>
    JSON.stringify({
      time: "2026-11-22T10:00:00.000Z",
      type: "platform.report",
      record: { requestId: "j-1", metrics, status: "success" },
    });
  const cold = {
    durationMs: 10.25,
    billedDurationMs: 300,
    memorySizeMB: 1024,
    maxMemoryUsedMB: 80,
    initDurationMs: 289.1,
  };
  const log = `${JSON.stringify({ type: "platform.start", record: { requestId: "j-1" } })}\n${record(cold)}\n`;
  assert.deepEqual(parseReport(b64(log)), {
    requestId: "j-1",
    durationMs: 10.25,
    billedMs: 300,
    memorySizeMb: 1024,
    maxMemoryUsedMb: 80,
    initMs: 289.1,
  });
  const { initDurationMs: _, ...warm } = cold;
  assert.equal(parseReportText(record(warm))?.initMs, null);
  assert.equal(parseReportText(record(warm))?.billedMs, 300);
});

test("no report (empty tail, cut before REPORT, malformed JSON): null, never zeros", () => {
  assert.equal(parseReport(undefined), null);
  assert.equal(parseReport(""), null);
  assert.equal(parseReportText("START RequestId: x\nsome output"), null);
  assert.equal(parseReportText('{"type":"platform.report","record":'), null);
});
