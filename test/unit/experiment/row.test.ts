import assert from "node:assert/strict";
import { test } from "node:test";
import type { InvocationRecord } from "../../../lib/experiment/record";
import { RECORD_COLUMNS, toRow, type RowPlacement } from "../../../lib/experiment/row";

function record(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  // Every field gets a distinct value, so a column copied from the wrong field is caught.
  const base = Object.fromEntries(RECORD_COLUMNS.map((column, i) => [column, `value-${i}`])) as Record<
    string,
    unknown
  >;
  return {
    ...base,
    errorStack: "stack",
    result: undefined,
    attributes: {},
    ...overrides,
  } as unknown as InvocationRecord;
}

const placement: RowPlacement = {
  experiment: "exp",
  thread: 3,
  run: 4,
  seq: 17,
  payloadIndex: 1,
  warmup: false,
  concurrencyAtStart: 5,
  tags: {},
  scheduledAt: 1_700_000_000_123.25,
  sendDelayMs: 0.75,
};

test("a row has exactly RECORD_COLUMNS, in order, each from the record or the placement", () => {
  const rec = record();
  const row = toRow(rec, placement);
  assert.deepEqual(Object.keys(row), [...RECORD_COLUMNS]);
  const fromPlacement = new Set([
    "experiment",
    "thread",
    "run",
    "seq",
    "payloadIndex",
    "warmup",
    "concurrencyAtStart",
    "scheduledAt",
    "sendDelayMs",
  ]);
  for (const column of RECORD_COLUMNS) {
    if (column === "runtimeOverlap") assert.equal(row[column], null, "computed at the end of the experiment");
    else if (fromPlacement.has(column))
      assert.equal(row[column], placement[column as keyof RowPlacement], column);
    else assert.equal(row[column], (rec as unknown as Record<string, unknown>)[column], column);
  }
  assert.ok(!("errorStack" in row) && !("result" in row) && !("attributes" in row));
});

test("a closed-loop placement (no schedule) leaves scheduledAt and sendDelayMs null", () => {
  const { scheduledAt: _s, sendDelayMs: _d, ...closedLoop } = placement;
  const row = toRow(record(), closedLoop);
  assert.equal(row.scheduledAt, null);
  assert.equal(row.sendDelayMs, null);
});

test("tags, attributes and scalar result fields become columns; clashes get a prefix, nested values are dropped", () => {
  const rec = record({
    attributes: { cpuUserDelta: 12, runtimeMs: 99 },
    result: { message: "hi", count: 2, ok: true, nested: { a: 1 }, list: [1], runtimeMs: 5, bad: Number.NaN },
  });
  const row = toRow(rec, { ...placement, tags: { variant: "a", memoryMb: 1 } });
  assert.equal(row.variant, "a");
  assert.equal(row["tag.memoryMb"], 1);
  assert.equal(row.cpuUserDelta, 12);
  assert.equal(row["attr.runtimeMs"], 99);
  assert.equal(row.message, "hi");
  assert.equal(row.count, 2);
  assert.equal(row.ok, true);
  assert.equal(row["result.runtimeMs"], 5);
  assert.equal(row.bad, null, "a non-finite number is unknown, not NaN");
  assert.ok(!("nested" in row) && !("list" in row));
  assert.equal(row.runtimeMs, rec.runtimeMs, "fixed columns are never overwritten");
});

test("a scalar result (not an object) lands in a `result` column", () => {
  assert.equal(toRow(record({ result: 42 }), placement).result, 42);
  assert.ok(!("result" in toRow(record({ result: undefined }), placement)));
});
