// watchInstances(fn): a live view of a function's instances outside experiments, through the fleet
// fixture platform (it reports instances; echo does not).
import assert from "node:assert/strict";
import { after, before, test, type TestContext } from "node:test";
import { configure, FaasLabError, plot, shutdown, watchInstances } from "../../lib";
import { externalFunction } from "../../lib/function/cloud-function";
import type { Figure } from "../../lib/plot/figure";
import { setFigureDisplay, setLiveFigureDisplay } from "../../lib/plot/display-hook";
import { useEchoPlatform } from "../fixtures/platforms/echo";
import { useFleetPlatform } from "../fixtures/platforms/fleet";
import { removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
useFleetPlatform();
useEchoPlatform();

before(() => {
  workspace = tempDir("watch");
  configure({ workspace });
});
after(async () => {
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

/** A live figure display like the notebook's, recording what it was asked to draw. */
function captureLive(t: TestContext): { updates: number; closed: Figure | null; opened: number } {
  const seen = { updates: 0, closed: null as Figure | null, opened: 0 };
  setLiveFigureDisplay(() => {
    seen.opened += 1;
    return {
      update: () => void (seen.updates += 1),
      close: (build) => void (seen.closed = build()),
    };
  });
  t.after(() => setLiveFigureDisplay(null));
  return seen;
}

test("a watch gets a sample at once, one per change while calls run, and none after stop()", async (t) => {
  const live = captureLive(t);
  const fn = externalFunction<unknown, unknown>("fleet_watched", "fleet", {
    answerMs: 30,
    startMs: 10,
    idleMs: 60_000,
  });
  const watch = await watchInstances(fn);
  assert.equal(watch.running, true);
  assert.equal(watch.samples.length, 1, "one sample on subscribe");
  assert.deepEqual([watch.samples[0].ready, watch.samples[0].starting], [0, 0]);
  await Promise.all([fn({}), fn({}), fn({})]);
  const peak = Math.max(...watch.samples.map((s) => s.ready));
  assert.equal(peak, 3, "three concurrent calls: three instances");
  assert.equal(watch.latest?.busy, 0, "all idle again");
  watch.stop();
  assert.equal(watch.running, false);
  const count = watch.samples.length;
  await fn({});
  assert.equal(watch.samples.length, count, "no samples after stop()");
  watch.stop(); // idempotent

  assert.equal(live.opened, 1, "one live figure in the notebook");
  assert.ok(live.updates >= 2, `${live.updates} live updates`);
  assert.ok(live.closed, "the final state was drawn at stop()");
  const ready = live.closed.data.find((d) => (d as { name: string }).name === "ready") as { y: number[] };
  assert.equal(Math.max(...ready.y), 3);
  const fig = plot.instances(watch, { show: false });
  assert.deepEqual((fig.data[0] as { y: number[] }).y, ready.y, "plot.instances(watch) draws the same");
});

test("plot.instances of a running watch is redrawn live until the watch stops; of a stopped one, drawn once", async (t) => {
  const live = captureLive(t);
  const fn = externalFunction("fleet_plotted", "fleet", { answerMs: 10, startMs: 5, idleMs: 60_000 });
  const watch = await watchInstances(fn, { show: false });
  assert.equal(live.opened, 0, "show: false: no live figure of its own");
  const first = plot.instances(watch);
  assert.equal(live.opened, 1);
  assert.equal((first.data[0] as { y: number[] }).y[0], 0, "the figure of the data so far is returned");
  const before = live.updates;
  await Promise.all([fn({}), fn({})]);
  assert.ok(live.updates > before, "redrawn as samples arrive");
  assert.equal(live.closed, null);
  watch.stop();
  assert.ok(live.closed, "drawn a last time at stop()");
  const shown: Figure[] = [];
  setFigureDisplay((fig) => shown.push(fig));
  t.after(() => setFigureDisplay(null));
  plot.instances(watch);
  assert.equal(live.opened, 1, "a stopped watch is an ordinary figure");
  assert.equal(shown.length, 1);
});

test("aborting the watch's signal stops it; show: false opens no live figure", async (t) => {
  const live = captureLive(t);
  const fn = externalFunction("fleet_signal", "fleet", { answerMs: 5, startMs: 5, idleMs: 60_000 });
  const controller = new AbortController();
  const watch = await watchInstances(fn, { signal: controller.signal, show: false });
  controller.abort();
  assert.equal(watch.running, false);
  assert.equal(live.opened, 0);
  const before = watch.samples.length;
  await fn({});
  assert.equal(watch.samples.length, before);
});

test("outside a notebook a watch prints nothing", async (t) => {
  const fn = externalFunction("fleet_quiet", "fleet", { answerMs: 5, startMs: 5, idleMs: 60_000 });
  // stdout carries the test runner's own protocol: the console and stderr are what a script would see.
  const written: string[] = [];
  const record = (...args: unknown[]) => void written.push(args.map(String).join(" "));
  for (const method of ["log", "info", "warn", "error"] as const) t.mock.method(console, method, record);
  t.mock.method(process.stderr, "write", (chunk: unknown) => (record(chunk), true));
  const watch = await watchInstances(fn);
  await Promise.all([fn({}), fn({})]);
  watch.stop();
  t.mock.restoreAll();
  assert.ok(watch.samples.length > 1);
  assert.deepEqual(written, []);
});

test("a platform that does not report instances is refused with UNSUPPORTED", async () => {
  const fn = externalFunction("echo_unwatched", "echo", {});
  await assert.rejects(watchInstances(fn), (e: unknown) => {
    assert.ok(e instanceof FaasLabError);
    assert.equal(e.code, "UNSUPPORTED");
    assert.match(e.message, /report its instances over time/);
    return true;
  });
});
