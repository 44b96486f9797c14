// Concurrency and queueing over HTTP are the platform's: local with 2 instances × 2 requests each and
// 6 clients at once runs 4, queues 2, and places them as a direct invoke does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudFunction, serve, type InvocationRecord } from "../../lib";
import { Gate, gated, type GatedResult } from "../helpers/gate";
import { postJson, type HttpAnswer } from "../helpers/http-client";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("serve-scaling");

const CONFIG = { maxInstances: 2, concurrency: 2, queueTimeout: 60 };
const CLIENTS = 6;

/** What a wave of calls did, whichever way they were sent. */
interface Placement {
  /** Requests inside the function at once before any was released. */
  firstWave: number;
  /** Processes those ran in, and how many each. */
  firstWavePerInstance: number[];
  /** Distinct instance ids over all calls (which one a queued call lands on is a race). */
  instances: number;
  coldStarts: number;
  /** Calls that reached the function only after the first wave was released. */
  queued: number;
  succeeded: number;
}

async function placement(
  send: (payload: {
    gate: string;
    key: string;
  }) => Promise<{ instanceId: string; cold: boolean; ok: boolean; pid: number }>,
): Promise<Placement> {
  const gate = await Gate.open();
  try {
    const calls = Array.from({ length: CLIENTS }, (_, i) => send({ gate: gate.url, key: `c${i}` }));
    const wave = await gate.untilWaiting(CONFIG.maxInstances * CONFIG.concurrency);
    // Capacity is full: the other calls wait in the platform's queue, not at the gate.
    const held = gate.waiting;
    gate.release();
    await gate.untilArrivals(CLIENTS);
    gate.release();
    const answers = await Promise.all(calls);
    for (const a of answers) ledger.add(a.pid);
    return {
      firstWave: held,
      firstWavePerInstance: counts(wave.map((a) => String(a.pid))),
      instances: new Set(answers.map((a) => a.instanceId)).size,
      coldStarts: answers.filter((a) => a.cold).length,
      queued: CLIENTS - held,
      succeeded: answers.filter((a) => a.ok).length,
    };
  } finally {
    await gate.close();
  }
}

function counts(keys: string[]): number[] {
  const by = new Map<string, number>();
  for (const key of keys) by.set(key, (by.get(key) ?? 0) + 1);
  return [...by.values()].sort((a, b) => a - b);
}

const fromRecord = (r: InvocationRecord) => ({
  instanceId: String(r.instanceId),
  cold: r.coldStart === true,
  ok: !r.failed,
  pid: r.failed ? 0 : (r.result as GatedResult).pid,
});

const fromHttp = (a: HttpAnswer) => ({
  instanceId: String(a.headers["x-faaslab-instance-id"]),
  cold: a.headers["x-faaslab-cold-start"] === "true",
  ok: a.status === 200,
  pid: a.status === 200 ? (a.json as GatedResult).pid : 0,
});

test("2 instances × concurrency 2, 6 clients: over HTTP as in a direct invoke — 4 run, 2 queue, 2 instances", async (t) => {
  const direct = cloudFunction("scaling_direct", gated, { config: CONFIG });
  const viaHttp = cloudFunction("scaling_http", gated, { config: CONFIG });
  const server = await serve(viaHttp);
  t.after(() => server.close());

  const byInvoke = await placement(async (payload) => fromRecord(await direct.invoke(payload)));
  const byHttp = await placement(async (payload) => fromHttp(await postJson(server.url, payload)));

  assert.deepEqual(byInvoke, {
    firstWave: 4,
    firstWavePerInstance: [2, 2],
    instances: 2,
    coldStarts: 2,
    queued: 2,
    succeeded: 6,
  });
  assert.deepEqual(byHttp, byInvoke, "HTTP clients see the platform's own placement");
});
