import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Inspector } from "../../../lib/runtime/inspector";
import { CPU_FIELDS } from "../../../lib/runtime/proc";

const linuxOnly = { skip: existsSync("/proc/stat") ? false : "needs Linux /proc" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("addAttribute keeps scalars, stringifies objects and arrays, maps NaN/Infinity/undefined to null", () => {
  const inspector = new Inspector();
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  inspector.addAttribute("s", "text");
  inspector.addAttribute("n", 4.5);
  inspector.addAttribute("zero", 0);
  inspector.addAttribute("b", false);
  inspector.addAttribute("obj", { x: 1, y: [2, 3] });
  inspector.addAttribute("arr", [1, "two"]);
  inspector.addAttribute("nan", NaN);
  inspector.addAttribute("inf", -Infinity);
  inspector.addAttribute("undef", undefined);
  inspector.addAttribute("nil", null);
  inspector.addAttribute("big", 2n ** 70n);
  inspector.addAttribute("circular", circular);
  const attributes = inspector.snapshot();
  assert.equal(attributes.s, "text");
  assert.equal(attributes.n, 4.5);
  assert.equal(attributes.zero, 0);
  assert.equal(attributes.b, false);
  assert.equal(attributes.obj, JSON.stringify({ x: 1, y: [2, 3] }));
  assert.equal(attributes.arr, JSON.stringify([1, "two"]));
  for (const key of ["nan", "inf", "undef", "nil"]) assert.equal(attributes[key], null, key);
  assert.equal(attributes.big, (2n ** 70n).toString());
  assert.equal(typeof attributes.circular, "string", "a circular object does not throw");
  assert.equal(inspector.getAttribute("n"), 4.5);
  assert.equal(inspector.getAttribute("missing"), undefined);
  // every value is a JSON scalar, so the attribute map always serialises
  assert.doesNotThrow(() => JSON.stringify(attributes));
  for (const value of Object.values(attributes)) assert.ok(value === null || typeof value !== "object");
});

test("addTimeStamp measures ms since creation, or since a given epoch ms", async () => {
  const created = Date.now();
  const inspector = new Inspector();
  await sleep(25);
  const mark = Date.now();
  inspector.addTimeStamp("sinceStart");
  const upper = Date.now() - created;
  await sleep(15);
  inspector.addTimeStamp("sinceMark", mark);
  const sinceStart = inspector.getAttribute("sinceStart") as number;
  const sinceMark = inspector.getAttribute("sinceMark") as number;
  assert.ok(sinceStart >= 24 && sinceStart <= upper, `24 ≤ ${sinceStart} ≤ ${upper}`);
  assert.ok(sinceMark >= 14 && sinceMark < sinceStart + 1000, String(sinceMark));
  assert.ok(inspector.startTime >= created && inspector.startTime <= mark);
});

test("finish() adds runtime and endTime and returns a copy", async () => {
  const inspector = new Inspector();
  inspector.addAttribute("k", 1);
  await sleep(10);
  const before = Date.now();
  const result = inspector.finish();
  const after = Date.now();
  assert.equal(result.k, 1);
  assert.ok((result.endTime as number) >= before && (result.endTime as number) <= after);
  // timers may fire up to 1 ms early by the Date.now() clock
  assert.ok((result.runtime as number) >= 9 && (result.runtime as number) <= after - inspector.startTime);
  result.k = 99;
  assert.equal(inspector.getAttribute("k"), 1, "the returned object is a copy");
});

test("inspectCPU then inspectCPUDelta gives every field and non-negative deltas", linuxOnly, () => {
  const inspector = new Inspector();
  inspector.inspectCPU();
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
  assert.ok(x > 0);
  inspector.inspectCPUDelta();
  const a = inspector.snapshot();
  for (const name of CPU_FIELDS) {
    assert.equal(typeof a[name], "number", name);
    assert.equal(typeof a[`${name}Delta`], "number", `${name}Delta`);
    assert.ok((a[`${name}Delta`] as number) >= 0, `${name}Delta = ${a[`${name}Delta`]}`);
  }
  assert.ok((a.contextSwitchesDelta as number) >= 0);
  assert.equal(a.inspectorCpuDeltaError, undefined);
});

test("inspectCPUDelta without inspectCPU records an error attribute instead of throwing", () => {
  const inspector = new Inspector();
  inspector.inspectCPUDelta();
  assert.match(String(inspector.getAttribute("inspectorCpuDeltaError")), /inspectCPU\(\) first/);
  assert.equal(inspector.getAttribute("cpuUserDelta"), undefined);
});

test("inspectMemory / inspectMemoryDelta: page-fault counters and non-negative deltas", linuxOnly, () => {
  const inspector = new Inspector();
  inspector.inspectMemory();
  const blocks = Array.from({ length: 64 }, () => Buffer.alloc(64 * 1024, 1));
  assert.equal(blocks.length, 64);
  inspector.inspectMemoryDelta();
  const a = inspector.snapshot();
  for (const key of ["totalMemory", "freeMemory", "pageFaults", "majorPageFaults", "rssMb"]) {
    assert.equal(typeof a[key], "number", key);
  }
  assert.ok((a.pageFaultsDelta as number) >= 0);
  assert.ok((a.majorPageFaultsDelta as number) >= 0);
  assert.ok((a.rssMb as number) > 1);
});

test(
  "inspectAll + inspectAllDeltas: SAAF's columns, userRuntime measured between them",
  linuxOnly,
  async () => {
    const inspector = new Inspector();
    inspector.inspectAll();
    await sleep(20);
    inspector.inspectAllDeltas();
    const a = inspector.finish();
    for (const key of [
      "cpuType",
      "cpuCores",
      "architecture",
      "linuxVersion",
      "frameworkRuntime",
      "cpuUserDelta",
      "pageFaultsDelta",
      "frameworkRuntimeDeltas",
      "runtime",
      "endTime",
    ]) {
      assert.ok(key in a, key);
    }
    assert.ok((a.userRuntime as number) >= 19, `userRuntime ${a.userRuntime}`);
  },
);
