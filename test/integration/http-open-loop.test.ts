// Open loop over HTTP: every row says when it was due (scheduledAt) and how late it left
// (sendDelayMs), so coordinated omission is visible; closed-loop rows leave both null.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { configure, experiment, httpFunction, shutdown } from "../../lib";
import { sendJson, startServer, type TestServer } from "../helpers/http-server";
import { removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
let server: TestServer;

before(async () => {
  workspace = tempDir("http-open");
  configure({ workspace });
  server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
});
after(async () => {
  await server.close();
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

test("open-loop rows carry scheduledAt on the schedule and a non-negative sendDelayMs", async () => {
  const fn = httpFunction("open_http", server.url);
  const before = Date.now();
  const r = await experiment(fn, { rps: 100, durationS: 1, arrival: "uniform", name: "open" });
  const after = Date.now();
  const rows = [...r.rows].sort((a, b) => (a.run as number) - (b.run as number));
  assert.equal(rows.length, 100, "uniform arrivals: 100 per second");
  const first = rows[0].scheduledAt as number;
  for (const [i, row] of rows.entries()) {
    const scheduledAt = row.scheduledAt as number;
    const sendDelayMs = row.sendDelayMs as number;
    assert.equal(typeof scheduledAt, "number");
    assert.ok(scheduledAt >= before - 1 && scheduledAt <= after, `scheduledAt ${scheduledAt} inside the run`);
    // Uniform at 100/s: arrival i is due 10·i ms after the first (rounded to the microsecond).
    assert.ok(
      Math.abs(scheduledAt - first - 10 * i) < 0.01,
      `arrival ${i} due at +${scheduledAt - first} ms`,
    );
    assert.ok(sendDelayMs >= 0, `sendDelayMs ${sendDelayMs}`);
    // The request left after it was due, and startedAt (whole ms) is when it left.
    assert.ok((row.startedAt as number) >= Math.floor(scheduledAt) - 1);
    assert.ok((row.startedAt as number) <= scheduledAt + sendDelayMs + 250);
  }
});

test("closed-loop rows leave scheduledAt and sendDelayMs null", async () => {
  const fn = httpFunction("closed_http", server.url);
  const r = await experiment(fn, { threads: 2, runsPerThread: 2, name: "closed" });
  assert.equal(r.rows.length, 4);
  assert.ok(r.rows.every((row) => row.scheduledAt === null && row.sendDelayMs === null));
  assert.ok(r.columns.includes("sendDelayMs"));
});
