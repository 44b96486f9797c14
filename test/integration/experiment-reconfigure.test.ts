// While an experiment runs, its function keeps the config the experiment started with: reconfigure()
// and a redefinition with another config are refused, so meta.json's config is every row's config.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudFunction, experiment, reconfigure, type ExperimentResult } from "../../lib";
import { FaasLabError } from "../../lib/errors";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("experiment-reconfigure");

const body = async (payload: { ms: number }) => {
  await new Promise((resolve) => setTimeout(resolve, payload.ms));
  return { pid: process.pid };
};

function isHeld(error: unknown): boolean {
  assert.ok(error instanceof FaasLabError, String(error));
  assert.equal(error.code, "EXPERIMENT_RUNNING");
  assert.match(error.message, /while experiment "(held|redefined)" runs on "(held_memory|redefined_memory)"/);
  assert.match(error.hint ?? "", /wait until the experiment ends/);
  return true;
}

/** Runs an experiment of 30 calls and, as its third row is stored, `during()` (awaited after it). */
async function experimentWith(
  fn: Parameters<typeof experiment>[0],
  name: string,
  during: () => Promise<unknown>,
): Promise<{ result: ExperimentResult; attempt: Promise<unknown> }> {
  let attempt: Promise<unknown> | null = null;
  const result = await experiment(fn, {
    name,
    runsPerThread: 30,
    payloads: [{ ms: 2 }],
    onProgress: (p) => {
      if (p.done === 3 && attempt === null) {
        attempt = during();
        attempt.catch(() => undefined); // awaited by the caller
      }
    },
  });
  result.allRows.forEach((row) => ledger.add(row.pid));
  assert.ok(attempt !== null, "the attempt was made during the experiment");
  return { result, attempt };
}

test("reconfigure() during an experiment is refused; afterwards it works", async () => {
  const fn = cloudFunction("held_memory", body, { config: { memory: 512 } });
  const { result, attempt } = await experimentWith(fn, "held", () => reconfigure(fn, { memory: 256 }));
  await assert.rejects(attempt, isHeld);
  assert.equal(result.meta.config.memory, 512);
  assert.deepEqual([...new Set(result.rows.map((row) => row.memoryMb))], [512], "one memory setting");
  assert.deepEqual(result.warnings, []);

  assert.equal((await reconfigure(fn, { memory: 256 })).memory, 256);
  const after = await fn.invoke({ ms: 0 });
  ledger.add((after.result as { pid: number }).pid);
  assert.equal(after.memoryMb, 256);
});

test("a redefinition with another config cannot deploy while the experiment runs", async () => {
  const fn = cloudFunction("redefined_memory", body, { config: { memory: 512 } });
  const again = cloudFunction("redefined_memory", body, { config: { memory: 1024 } });
  const { result, attempt } = await experimentWith(fn, "redefined", () => again({ ms: 0 }));
  await assert.rejects(attempt, isHeld);
  assert.deepEqual([...new Set(result.rows.map((row) => row.memoryMb))], [512]);

  const answer = await again.invoke({ ms: 0 });
  ledger.add((answer.result as { pid: number }).pid);
  assert.equal(answer.memoryMb, 1024, "deployed once the experiment ended");
});

test("another callable with the same config is not refused during the experiment", async () => {
  const fn = cloudFunction("same_config", body, { config: { memory: 512 } });
  const twin = cloudFunction("same_config", body, { config: { memory: 512 } });
  const { result, attempt } = await experimentWith(fn, "twin", () => twin({ ms: 0 }));
  const answer = (await attempt) as { pid: number };
  ledger.add(answer.pid);
  assert.equal(result.rows.length, 30);
});

test("an experiment that fails after it started holding the function lets go of it", async () => {
  const fn = cloudFunction("released_memory", body, { config: { memory: 512 } });
  // The overwriting experiment fails (its name is in use by the running one) after taking the hold.
  const { attempt } = await experimentWith(fn, "released", () =>
    experiment(fn, { name: "released", overwrite: true, payloads: [{ ms: 0 }] }),
  );
  await assert.rejects(attempt, /experiment "released" of "released_memory" is still running/);
  assert.equal((await reconfigure(fn, { memory: 256 })).memory, 256, "no hold is left");
});
