// Rows of one run that report two memory settings (a reconfigure from outside this process) are
// flagged when the experiment is loaded.
import assert from "node:assert/strict";
import { test } from "node:test";
import { memoryDrift } from "../../../lib/experiment/config-drift";
import { load } from "../../../lib/experiment/load";
import { openExperiment } from "../../../lib/experiment/store";
import { metaInput, row, workspace } from "./fixtures";

test("one memory setting (or none reported) is no drift; two are", () => {
  assert.equal(memoryDrift([row({ memoryMb: 512 }), row({ memoryMb: 512 })], 1), null);
  assert.equal(memoryDrift([row({ memoryMb: null }), row({ memoryMb: 512 })], 1), null);
  assert.equal(memoryDrift([], 1), null);
  const warning = memoryDrift([row({ memoryMb: 512 }), row({ memoryMb: 128 }), row({ memoryMb: 512 })], 2);
  assert.match(
    warning ?? "",
    /^run 2: its rows report memoryMb 128, 512 — the function was reconfigured during the run/,
  );
});

test("load() warns about a run whose rows mix memory settings", (t) => {
  const ws = workspace(t);
  const writer = openExperiment({
    workspace: ws,
    functionName: "fn",
    name: "mixed",
    meta: metaInput("mixed"),
  });
  writer.append(row({ seq: 0, memoryMb: 512 }));
  writer.append(row({ seq: 1, memoryMb: 1024 }));
  writer.finish("complete", null);
  const back = load("fn", "mixed", { workspace: ws });
  assert.equal(back.warnings.length, 1);
  assert.match(back.warnings[0], /run 1: its rows report memoryMb 512, 1024/);
});
