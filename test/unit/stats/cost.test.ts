import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../../lib/paths";
import { cost } from "../../../lib/stats/cost";
import type { AwsLambdaPrices, CloudRunPrices } from "../../../lib/stats/prices";

// Expected values are computed here from the committed constants with the arithmetic written out.
const read = (platform: string) =>
  JSON.parse(readFileSync(path.join(packageRoot(), "platforms", platform, "defaults.json"), "utf8")) as {
    prices: unknown;
    [knob: string]: unknown;
  };
const aws = read("aws").prices as AwsLambdaPrices;
const google = read("google").prices as CloudRunPrices;
const near = (actual: number | null, expected: number, label: string) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= 1e-12 * expected,
    `${label}: ${actual} vs ${expected}`,
  );

test("price tables are dated, sourced, and hold the published first-tier prices", () => {
  for (const p of [aws, google]) {
    assert.match(p.asOf, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(p.source, /^https:\/\//);
  }
  assert.equal(aws.requestUsd, 0.0000002, "$0.20 per million requests");
  assert.deepEqual(aws.gbSecondUsd, { x86_64: 0.0000166667, arm64: 0.0000133334 });
  assert.equal(aws.billingIncrementMs, 1);
  assert.equal(google.requestUsd, 0.0000004, "$0.40 per million requests");
  assert.equal(google.vcpuSecondUsd, 0.000024);
  assert.equal(google.gibSecondUsd, 0.0000025);
  assert.equal(google.billingIncrementMs, 100);
});

test("AWS Lambda: billed duration (init included) × GB × per-architecture rate + request fee", () => {
  const rows = [
    // a cold start on x86: REPORT says Billed Duration 662 ms (395.99 + 265.72 init, rounded up)
    { memoryMb: 512, billedMs: 662, initMs: 265.72, runtimeMs: 395.99, architecture: "x86_64" },
    // warm arm64 call without a REPORT line: runtime 10.2 ms → 11 ms
    { memoryMb: 1024, billedMs: null, initMs: null, runtimeMs: 10.2, architecture: "arm64" },
    // no REPORT, cold: runtime + init = 100.5 + 200.25 = 300.75 → 301 ms; "x64" is Node's name for x86_64
    { memoryMb: 128, billedMs: null, initMs: 200.25, runtimeMs: 100.5, architecture: "x64" },
  ];
  const r = cost(rows, "aws");
  const e0 = 0.0000002 + (512 / 1024) * 0.662 * 0.0000166667;
  const e1 = 0.0000002 + (1024 / 1024) * 0.011 * 0.0000133334;
  const e2 = 0.0000002 + (128 / 1024) * 0.301 * 0.0000166667;
  near(r.perInvocationUsd[0], e0, "cold x86");
  near(r.perInvocationUsd[1], e1, "warm arm64");
  near(r.perInvocationUsd[2], e2, "estimated cold x86");
  near(r.totalUsd, e0 + e1 + e2, "total");
  assert.equal(r.breakdown.billedMs, 662 + 11 + 301);
  near(r.breakdown.requestUsd, 3 * 0.0000002, "request fees");
  near(r.breakdown.memoryGbSeconds, 0.5 * 0.662 + 1 * 0.011 + 0.125 * 0.301, "GB-s");
  assert.equal(r.breakdown.vcpuSeconds, null);
  assert.equal(r.breakdown.asOf, aws.asOf);
  assert.ok(r.breakdown.notes.some((n) => n.startsWith("2 of 3 billed durations estimated")));
});

test("AWS Lambda: rows without an architecture use the platform default (arm64), or options", () => {
  const row = { memoryMb: 256, billedMs: 1000, initMs: null, runtimeMs: 999.1 };
  assert.equal(read("aws").architecture, "arm64");
  near(cost([row], "aws").totalUsd, 0.0000002 + 0.25 * 1 * 0.0000133334, "default arm64");
  near(
    cost([row], "aws", { architecture: "x86_64" }).totalUsd,
    0.0000002 + 0.25 * 1 * 0.0000166667,
    "x86_64",
  );
});

test("Cloud Run functions: vCPU-s + GiB-s at 100 ms increments + request fee, vCPU from the memory table", () => {
  const rows = [
    { memoryMb: 256, runtimeMs: 120, initMs: null }, // → 200 ms, 0.167 vCPU (256 MiB tier)
    { memoryMb: 1024, runtimeMs: 40, initMs: 850.5 }, // cold, startup billed: 890.5 → 900 ms, 0.583 vCPU
    { memoryMb: 2048, runtimeMs: 300, initMs: null, cpu: 4 }, // explicit vCPU wins: 300 ms stays 300
    { memoryMb: 768, runtimeMs: 0.5, initMs: null }, // between tiers → the 1 GiB tier's 0.583; 0.5 → 100 ms
  ];
  const r = cost(rows, "google");
  const e = [
    0.0000004 + 0.2 * (0.167 * 0.000024 + 0.25 * 0.0000025),
    0.0000004 + 0.9 * (0.583 * 0.000024 + 1 * 0.0000025),
    0.0000004 + 0.3 * (4 * 0.000024 + 2 * 0.0000025),
    0.0000004 + 0.1 * (0.583 * 0.000024 + 0.75 * 0.0000025),
  ];
  e.forEach((usd, i) => near(r.perInvocationUsd[i], usd, `row ${i}`));
  near(r.totalUsd, e[0] + e[1] + e[2] + e[3], "total");
  assert.equal(r.breakdown.billedMs, 200 + 900 + 300 + 100);
  near(r.breakdown.vcpuSeconds, 0.2 * 0.167 + 0.9 * 0.583 + 0.3 * 4 + 0.1 * 0.583, "vCPU-s");
  near(
    cost([rows[0]], "google", { cpu: 1 }).totalUsd,
    0.0000004 + 0.2 * (1 * 0.000024 + 0.25 * 0.0000025),
    "options.cpu",
  );
});

test("unknowable costs are null, never 0, and say why", () => {
  const r = cost(
    [
      { memoryMb: null, runtimeMs: 5 },
      { memoryMb: 128, runtimeMs: null, billedMs: null },
    ],
    "aws",
  );
  assert.deepEqual(r.perInvocationUsd, [null, null]);
  assert.equal(r.totalUsd, null);
  assert.equal(r.breakdown.unpriced, 2);
  assert.ok(r.breakdown.notes.some((n) => n.startsWith("2 of 2 invocations not priced")));
  const local = cost([{ memoryMb: 512, runtimeMs: 3 }], "local");
  assert.deepEqual(local.perInvocationUsd, [null]);
  assert.equal(local.totalUsd, null);
  assert.match(local.breakdown.notes[0], /local invocations are not billed/);
  assert.equal(cost([{ memoryMb: 64, runtimeMs: 3 }], "aws", { architecture: "s390x" }).totalUsd, null);
});

test("options.prices replaces the table (validated), e.g. Cloud Run behind the http platform", () => {
  const cheap: CloudRunPrices = { ...google, vcpuSecondUsd: 0.00001, gibSecondUsd: 0.000001, requestUsd: 0 };
  near(
    cost([{ memoryMb: 512, runtimeMs: 250 }], "local", { prices: cheap }).totalUsd,
    0.3 * (0.333 * 0.00001 + 0.5 * 0.000001),
    "custom",
  );
  assert.throws(
    () => cost([], "aws", { prices: { ...aws, asOf: "yesterday" } }),
    /"asOf" must be a YYYY-MM-DD date/,
  );
  assert.throws(() => cost([], "aws", { prices: { model: "azure" } as never }), /"model" must be/);
  assert.throws(() => cost([], "nowhere"), /unknown platform "nowhere"/);
  assert.throws(() => cost([{ memoryMb: 128, runtimeMs: NaN }], "aws"), /rows\[0\]\.runtimeMs is NaN/);
});
