import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExperimentProgress } from "../../../lib/experiment/progress";
import { ProgressDisplays } from "../../../kernel/progress";
import { progressText, renderProgress } from "../../../kernel/render/progress";
import { ManualClock } from "../../helpers/fake-clock";

interface Sent {
  t: number;
  id: string;
  update: boolean;
  html: string;
  text: string;
}

function progress(values: Partial<ExperimentProgress> = {}): ExperimentProgress {
  return {
    experiment: "exp",
    functionName: "fn",
    done: 0,
    total: 100,
    failed: 0,
    inFlight: 0,
    elapsedMs: 0,
    etaMs: null,
    finished: false,
    ...values,
  };
}

function setup(): { clock: ManualClock; sent: Sent[]; displays: ProgressDisplays } {
  const clock = new ManualClock(0);
  const sent: Sent[] = [];
  let ids = 0;
  const displays = new ProgressDisplays({
    clock,
    newId: () => `id-${++ids}`,
    send: (data, id, update) => {
      sent.push({
        t: clock.now(),
        id,
        update,
        html: String(data["text/html"]),
        text: String(data["text/plain"]),
      });
      return true;
    },
  });
  return { clock, sent, displays };
}

test("one display per experiment: display_data first, then updates of the same id, ≤ 10 per second", () => {
  const { clock, sent, displays } = setup();
  for (let done = 1; done <= 100; done++) {
    displays.onProgress(progress({ done, elapsedMs: clock.now(), etaMs: 1000, inFlight: 4 }));
    clock.advance(20); // 50 events per second for 2 s
  }
  displays.onProgress(progress({ done: 100, elapsedMs: 2000, finished: true }));
  assert.equal(sent[0].update, false);
  assert.ok(
    sent.slice(1).every((s) => s.update && s.id === sent[0].id),
    "later messages update the same output",
  );
  const perSecond = [0, 1000].map((start) => sent.filter((s) => s.t >= start && s.t < start + 1000).length);
  assert.ok(
    perSecond.every((n) => n <= 10),
    `updates per second: ${perSecond}`,
  );
  const last = sent[sent.length - 1];
  assert.match(last.html, /value="100" max="100"/);
  assert.match(last.text, /finished, 100\/100 done · took 2\.0 s/);
  assert.equal(displays.running, 0);
});

test("the final state is rendered even right after another update", () => {
  const { sent, displays } = setup();
  displays.onProgress(progress({ done: 9, total: 10 }));
  displays.onProgress(progress({ done: 10, total: 10, finished: true, elapsedMs: 500 }));
  assert.equal(sent.length, 2);
  assert.match(sent[1].html, /✓/);
  assert.doesNotMatch(sent[1].html, /ETA/);
});

test("two experiments get two displays; a new run of the same name gets a new one", () => {
  const { sent, displays } = setup();
  displays.onProgress(progress({ experiment: "a", done: 1 }));
  displays.onProgress(progress({ experiment: "b", done: 1 }));
  displays.onProgress(progress({ experiment: "a", done: 1, finished: true }));
  displays.onProgress(progress({ experiment: "a", done: 1 }));
  assert.deepEqual(
    sent.map((s) => [s.id, s.update]),
    [
      ["id-1", false],
      ["id-2", false],
      ["id-1", true],
      ["id-3", false],
    ],
  );
});

test("a message that could not be sent does not count as the output's creation", () => {
  const calls: boolean[] = [];
  let ok = false;
  const clock = new ManualClock(0);
  const displays = new ProgressDisplays({
    clock,
    newId: () => "x",
    send: (_d, _id, update) => (calls.push(update), ok),
  });
  displays.onProgress(progress({ done: 1 }));
  ok = true;
  clock.advance(200);
  displays.onProgress(progress({ done: 2 }));
  clock.advance(200);
  displays.onProgress(progress({ done: 3 }));
  assert.deepEqual(calls, [false, false, true]);
});

test("the progress HTML shows done/total, failures, elapsed and ETA, escaped, without scripts", () => {
  const html = renderProgress(
    progress({
      experiment: "<b>x</b>",
      functionName: "f&g",
      done: 30,
      failed: 2,
      inFlight: 4,
      elapsedMs: 12_300,
      etaMs: 28_700,
    }),
  );
  assert.match(html, /<progress value="30" max="100"/);
  assert.match(html, /30\/100 done/);
  assert.match(html, /2 failed/);
  assert.match(html, /12\.3 s elapsed/);
  assert.match(html, /ETA 28\.7 s/);
  assert.match(html, /&lt;b&gt;x&lt;\/b&gt;/);
  assert.match(html, /f&amp;g/);
  assert.doesNotMatch(html, /<script|<b>x/);
});

test("an open-loop run (total unknown) shows an indeterminate bar, then a full one", () => {
  assert.match(renderProgress(progress({ total: 0, done: 5 })), /<progress style=/);
  const done = progress({ total: 0, done: 50, finished: true, elapsedMs: 10_000 });
  assert.match(renderProgress(done), /<progress value="1" max="1"/);
  assert.equal(progressText(done), "exp (fn): finished, 50 done · took 10.0 s");
});

test("a run that ended early says it stopped", () => {
  const p = progress({ done: 40, total: 100, finished: true, elapsedMs: 4000 });
  assert.match(progressText(p), /stopped, 40\/100 done/);
  assert.match(renderProgress(p), /■/);
});
