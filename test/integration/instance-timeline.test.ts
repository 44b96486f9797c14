// Instance timelines beside experiment rows (r.instances, instances.jsonl, load(), observeAfterS),
// through a platform outside the package that reports its instances (test/fixtures/platforms/fleet).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { configure, experiment, load, plot, shutdown, type ExperimentProgress } from "../../lib";
import { externalFunction } from "../../lib/function/cloud-function";
import type { InstanceSample } from "../../lib/platform";
import { useEchoPlatform } from "../fixtures/platforms/echo";
import { useFleetPlatform } from "../fixtures/platforms/fleet";
import { withinGuard } from "../helpers/guard";
import { functionFiles, removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
useFleetPlatform();
useEchoPlatform();

before(() => {
  workspace = tempDir("timeline");
  configure({ workspace });
});
after(async () => {
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

const live = (s: InstanceSample) => s.ready + s.starting;
const maxOf = (samples: readonly InstanceSample[], f: (s: InstanceSample) => number) =>
  samples.reduce((max, s) => Math.max(max, f(s)), 0);

function lines(file: string): string[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

test("an experiment stores its instance timeline beside its rows, and load() gives it back", async () => {
  const fn = externalFunction("fleet_basic", "fleet", { answerMs: 40, startMs: 20, idleMs: 60_000 });
  const r = await experiment(fn, { threads: 4, runsPerThread: 5, name: "basic" });
  const samples = r.instances;
  assert.ok(samples.length >= 3, `${samples.length} samples`);
  assert.deepEqual([samples[0].ready, samples[0].starting], [0, 0], "it starts watching before any request");
  for (let i = 1; i < samples.length; i++) assert.ok(samples[i].at >= samples[i - 1].at, "in time order");
  const ids = new Set(r.rows.map((row) => row.instanceId));
  assert.ok(
    ids.size <= maxOf(samples, live),
    `${ids.size} instance ids, at most ${maxOf(samples, live)} live`,
  );
  assert.equal(
    maxOf(samples, (s) => s.ready),
    ids.size,
    "every instance served a request: all were ready once",
  );
  assert.equal(
    maxOf(samples, (s) => s.busy),
    4,
    "four threads kept four instances busy at the peak",
  );

  const file = path.join(
    functionFiles(workspace, "fleet_basic").dir,
    "experiments",
    "basic",
    "instances.jsonl",
  );
  assert.equal(lines(file).length, samples.length, "every sample is in instances.jsonl");
  const back = load("fleet_basic", "basic");
  assert.deepEqual(back.instances, samples);
  const df = back.instancesDf;
  assert.deepEqual(df.shape, [samples.length, 8]);
  assert.deepEqual(df.columns, ["at", "starting", "ready", "busy", "inFlight", "queued", "desired", "panic"]);
  assert.equal(Math.max(...(df.column("ready").values as number[])), ids.size);
});

test("load({ run: 'all' }) joins the runs' timelines, each sample tagged with its run", async () => {
  const fn = externalFunction("fleet_runs", "fleet", { answerMs: 5, startMs: 5, idleMs: 60_000 });
  const first = await experiment(fn, { threads: 2, runsPerThread: 2, name: "twice" });
  const second = await experiment(fn, { threads: 1, runsPerThread: 2, name: "twice" });
  const all = load("fleet_runs", "twice", { run: "all" });
  assert.equal(all.instances.length, first.instances.length + second.instances.length);
  assert.deepEqual([...new Set(all.instances.map((s) => s.experimentRun))], [1, 2]);
  assert.ok(all.instancesDf.columns.includes("experimentRun"));
  assert.deepEqual(load("fleet_runs", "twice").instances, second.instances, "the latest run by default");
});

test("observeAfterS keeps recording past the last request, so the scale to zero is captured", async () => {
  const fn = externalFunction("fleet_down", "fleet", { answerMs: 30, startMs: 10, idleMs: 700 });
  const progress: ExperimentProgress[] = [];
  const watched = await experiment(fn, {
    threads: 3,
    runsPerThread: 2,
    name: "down",
    observeAfterS: 2,
    onProgress: (p) => progress.push(p),
  });
  const lastEnd = Math.max(...watched.rows.map((row) => row.endedAt as number));
  const last = watched.instances[watched.instances.length - 1];
  assert.ok(maxOf(watched.instances, live) >= 1);
  assert.deepEqual([last.ready, last.starting], [0, 0], "back at zero instances");
  assert.ok(last.at > lastEnd, "the scale-down came after the last request");
  const observing = progress.filter((p) => p.observingLeftMs !== undefined);
  assert.ok(observing.length > 0, "progress says it is observing");
  assert.ok(observing.every((p) => p.done === p.total && !p.finished));
  assert.equal(progress[progress.length - 1].observingLeftMs, undefined, "the final state is not observing");

  // Without it the run ends with the instances still up (they retire 0.7 s after their last request).
  const unwatched = await experiment(fn, { threads: 3, runsPerThread: 2, name: "no_watch" });
  const end = unwatched.instances[unwatched.instances.length - 1];
  assert.ok(live(end) > 0, `the timeline stops with the last request: ${JSON.stringify(end)}`);
  assert.equal(unwatched.complete, true);
});

test("an abort while observing ends the observation early and keeps the run complete", async () => {
  const fn = externalFunction("fleet_abort", "fleet", { answerMs: 10, startMs: 5, idleMs: 60_000 });
  const controller = new AbortController();
  const started = Date.now();
  const r = await withinGuard(
    experiment(fn, {
      threads: 2,
      runsPerThread: 2,
      name: "cut",
      observeAfterS: 600,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.observingLeftMs !== undefined) controller.abort();
      },
    }),
    "the aborted observation to end",
  );
  assert.ok(Date.now() - started < 600_000);
  assert.equal(r.complete, true, "every request was done before the abort");
  assert.equal(r.rows.length, 4);
  assert.ok(r.instances.length > 0);
  assert.deepEqual(load("fleet_abort", "cut").instances, r.instances);
});

test("a platform without instance reports gives an empty timeline and writes no file", async () => {
  const fn = externalFunction("echo_no_timeline", "echo", {});
  const r = await experiment(fn, { threads: 2, runsPerThread: 2, name: "flat", observeAfterS: 30 });
  assert.deepEqual(r.instances, []);
  assert.deepEqual(r.instancesDf.shape, [0, 8]);
  const dir = path.join(functionFiles(workspace, "echo_no_timeline").dir, "experiments", "flat");
  assert.ok(fs.existsSync(path.join(dir, "runs.jsonl")));
  assert.ok(!fs.existsSync(path.join(dir, "instances.jsonl")));
  assert.deepEqual(load("echo_no_timeline", "flat").instances, []);
  const fig = plot.instances(r, { show: false });
  assert.match(fig.layout.title?.text ?? "", /no instance timeline \(echo reports none\)/);
});
