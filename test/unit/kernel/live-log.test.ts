import assert from "node:assert/strict";
import { test } from "node:test";
import { LOG_LINES_SHOWN, openLiveLog } from "../../../kernel/live-log";
import { openLogDisplay, setLogDisplay } from "../../../lib/display";
import { ManualClock } from "../../helpers/fake-clock";

function setup() {
  const clock = new ManualClock(0);
  const sent: { id: string; update: boolean; html: string; text: string }[] = [];
  const log = openLiveLog("deploy <hello>", {
    clock,
    newId: () => "log-1",
    send: (data, id, update) => {
      sent.push({ id, update, html: String(data["text/html"]), text: String(data["text/plain"]) });
      return true;
    },
  });
  return { clock, sent, log };
}

test("log lines stream into one output, throttled, and the last line always shows", () => {
  const { clock, sent, log } = setup();
  log("bundling hello with esbuild");
  assert.equal(sent.length, 1);
  assert.equal(sent[0].update, false);
  clock.advance(10);
  log("starting <instance>");
  clock.advance(10);
  log("deployed");
  assert.equal(sent.length, 1, "throttled");
  clock.advance(100);
  assert.equal(sent.length, 2, "the trailing update came without another line");
  assert.ok(sent.every((s) => s.id === "log-1"));
  assert.equal(sent[1].update, true);
  assert.match(sent[1].html, /deploy &lt;hello&gt;/);
  assert.match(sent[1].html, /starting &lt;instance&gt;/);
  assert.match(sent[1].html, /20 ms<\/span> {2}deployed/);
  assert.equal(
    sent[1].text,
    "deploy <hello>\n  bundling hello with esbuild\n  starting <instance>\n  deployed",
  );
});

test("only the last lines are kept, with a count of the earlier ones", () => {
  const { clock, sent, log } = setup();
  for (let i = 0; i < LOG_LINES_SHOWN + 5; i++) log(`line ${i}`);
  clock.advance(100);
  const last = sent[sent.length - 1].html;
  assert.match(last, /… 5 earlier lines/);
  assert.doesNotMatch(last, /line 4</);
  assert.match(last, /line 16</);
});

test("openLogDisplay: undefined outside a notebook; a failing display never throws into the caller", (t) => {
  t.after(() => setLogDisplay(null));
  setLogDisplay(null);
  assert.equal(openLogDisplay("x"), undefined);
  setLogDisplay(() => () => {
    throw new Error("display broke");
  });
  const sink = openLogDisplay("x");
  assert.equal(typeof sink, "function");
  assert.doesNotThrow(() => sink!("line"));
  setLogDisplay(() => {
    throw new Error("cannot open");
  });
  assert.equal(openLogDisplay("x"), undefined);
});
