// An experiment's instance timeline on the local platform, with real instance processes: its counts
// agree with the instance ids in the rows, and observeAfterS captures the scale to zero.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { cloudFunction, experiment, load, type InstanceSample } from "../../lib";
import { nap } from "../helpers/functions";
import { localSuite } from "../helpers/suite";
import { functionFiles } from "../helpers/workspace";

const { workspace, ledger } = localSuite("instance-timeline-local");

const live = (s: InstanceSample) => s.ready + s.starting;
const peak = (samples: readonly InstanceSample[], f: (s: InstanceSample) => number) =>
  samples.reduce((max, s) => Math.max(max, f(s)), 0);

test("local: the timeline's counts agree with the instance ids seen in the rows", async () => {
  // idleTimeout is long: no instance retires during the run, so each one the timeline saw served a row.
  const fn = cloudFunction("timeline_nap", nap, { config: { concurrency: 1, idleTimeout: 120 } });
  const r = await experiment(fn, { threads: 4, runsPerThread: 3, payloads: [{ ms: 150 }], name: "agree" });
  r.rows.forEach((row) => ledger.add(row.pid));
  assert.equal(r.rows.filter((row) => row.failed).length, 0);
  const samples = r.instances;
  assert.ok(samples.length >= 3, `${samples.length} samples`);
  assert.deepEqual([samples[0].ready, samples[0].starting], [0, 0], "watched from before the first request");
  // No assertion on `starting`: samples are at most one per 100 ms, and a cold start that begins and
  // ends inside one interval (30 ms on an idle machine) is legitimately not in any of them.
  const coldRows = r.rows.filter((row) => row.coldStart === true).length;
  const ids = new Set(r.rows.map((row) => row.instanceId));
  assert.equal(coldRows, ids.size, "one cold start per instance the timeline counts");
  assert.ok(ids.size <= peak(samples, live), `${ids.size} ids, peak ${peak(samples, live)} live instances`);
  assert.equal(
    peak(samples, (s) => s.ready),
    ids.size,
    "every instance got a request: peak ready = ids",
  );
  assert.ok(peak(samples, (s) => s.busy) <= 4, "never more busy instances than threads");
  for (let i = 1; i < samples.length; i++) assert.ok(samples[i].at >= samples[i - 1].at);

  const file = path.join(
    functionFiles(workspace, "timeline_nap").dir,
    "experiments",
    "agree",
    "instances.jsonl",
  );
  assert.ok(fs.existsSync(file));
  assert.deepEqual(load(fn, "agree").instances, samples, "load() gives the same timeline back");
});

test("local: observeAfterS records the scale to zero after the last request (short idleTimeout)", async () => {
  const fn = cloudFunction("timeline_idle", nap, { config: { concurrency: 1, idleTimeout: 0.3 } });
  const r = await experiment(fn, {
    threads: 3,
    runsPerThread: 2,
    payloads: [{ ms: 100 }],
    name: "to_zero",
    observeAfterS: 6,
  });
  r.rows.forEach((row) => ledger.add(row.pid));
  const lastEnd = Math.max(...r.rows.map((row) => row.endedAt as number));
  const samples = r.instances;
  assert.ok(peak(samples, live) >= 1);
  const last = samples[samples.length - 1];
  assert.deepEqual([last.ready, last.starting, last.busy], [0, 0, 0], "back at zero instances");
  assert.ok(last.at > lastEnd, "the scale-down was recorded after the last request");
  assert.deepEqual(load(fn, "to_zero").instances, samples);
});
