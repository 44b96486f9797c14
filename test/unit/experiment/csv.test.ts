import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { RECORD_COLUMNS } from "../../../lib/experiment/row";
import { csvField, openExperiment, rowsToCSV } from "../../../lib/experiment/store";
import { metaInput, parseCSV, row, workspace } from "./fixtures";

const NASTY = [
  "plain",
  "comma, inside",
  'a "quoted" word',
  "line one\nline two",
  "crlf\r\nend",
  '",\n"',
  "ünïcödé ✓ 日本語 🚀",
  " leading and trailing spaces ",
  "=1+1",
];

test("fields: null → empty, booleans → true/false, numbers as JS prints them, text quoted only when needed", () => {
  assert.equal(csvField(null), "");
  assert.equal(csvField(undefined), "");
  assert.equal(csvField(true), "true");
  assert.equal(csvField(false), "false");
  assert.equal(csvField(0), "0");
  assert.equal(csvField(-1.25), "-1.25");
  assert.equal(csvField(1700000000123.456), "1700000000123.456");
  assert.equal(csvField(NaN), "");
  assert.equal(csvField(Infinity), "");
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField(""), '""');
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
});

test("header: RECORD_COLUMNS, then extra columns in first-seen order; missing values are empty", () => {
  const rows = [
    row({ seq: 0, zeta: 1 }),
    row({ seq: 1, alpha: "x", zeta: 2 }),
    row({ seq: 2, "tag.variant": "b" }),
  ];
  const records = parseCSV(rowsToCSV(rows));
  assert.deepEqual(records[0], [...RECORD_COLUMNS, "zeta", "alpha", "tag.variant"]);
  const at = (name: string) => records[0].indexOf(name);
  assert.deepEqual(
    records.slice(1).map((r) => [r[at("seq")], r[at("zeta")], r[at("alpha")], r[at("tag.variant")]]),
    [
      ["0", "1", "", ""],
      ["1", "2", "x", ""],
      ["2", "", "", "b"],
    ],
  );
  assert.ok(records.every((r) => r.length === records[0].length));
});

test("quoting round-trips commas, quotes, newlines and unicode (own reader, and papaparse into a danfo DataFrame)", async (t) => {
  const ws = workspace(t);
  const writer = openExperiment({
    workspace: ws,
    functionName: "fn",
    name: "quotes",
    meta: metaInput("quotes"),
  });
  NASTY.forEach((text, seq) => writer.append(row({ seq, errorMessage: text, message: text })));
  writer.finish("complete", null);
  const file = path.join(writer.dir, "results.csv");
  const text = fs.readFileSync(file, "utf8");
  assert.ok(text.endsWith("\r\n"));

  const records = parseCSV(text);
  assert.equal(records.length, NASTY.length + 1);
  const errorMessage = records[0].indexOf("errorMessage");
  const message = records[0].indexOf("message");
  assert.deepEqual(
    records.slice(1).map((r) => r[errorMessage]),
    NASTY,
  );
  assert.deepEqual(
    records.slice(1).map((r) => r[message]),
    NASTY,
  );
  assert.deepEqual(
    records.slice(1).map((r) => r[records[0].indexOf("failed")]),
    NASTY.map(() => "false"),
  );

  // danfojs-node's readCSV(file) is papaparse with these options, then new DataFrame(data); the pure-JS
  // danfojs that faaslab uses reads only URLs, so the same two steps are done here.
  const papa = require("papaparse") as PapaParse;
  const parsed = papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: "greedy" });
  assert.deepEqual(parsed.errors, []);
  const dfd = await import("danfojs");
  const df = new dfd.DataFrame(parsed.data);
  assert.deepEqual(df.shape, [NASTY.length, RECORD_COLUMNS.length + 1]);
  assert.deepEqual(df.column("errorMessage").values, NASTY);
});

/** The part of papaparse's API used above (it ships no types). */
interface PapaParse {
  parse(
    text: string,
    options: { header: true; dynamicTyping: true; skipEmptyLines: "greedy" },
  ): { data: Record<string, unknown>[]; errors: unknown[] };
}
