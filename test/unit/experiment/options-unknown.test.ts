// Unknown experiment options are typos, not wishes: they are listed with a suggestion, never ignored.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudFunction, experiment } from "../../../lib";
import { ConfigError } from "../../../lib/errors";
import { resolveOptions, type ExperimentOptions } from "../../../lib/experiment/options";

function problemsOf(options: unknown): string[] {
  try {
    resolveOptions(options as ExperimentOptions);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail("resolveOptions accepted the options");
}

test('{ thread: 4 } is refused with "did you mean "threads""', () => {
  assert.deepEqual(problemsOf({ thread: 4 }), ['unknown option "thread" (did you mean "threads"?)']);
});

test("every unknown option is listed at once, next to the other problems", () => {
  const problems = problemsOf({ thread: 4, runsPerThraed: 2, Payloads: [{}], colour: "red", seed: -1 });
  assert.equal(problems.length, 5, problems.join("\n"));
  assert.ok(problems.includes('unknown option "thread" (did you mean "threads"?)'));
  assert.ok(problems.includes('unknown option "runsPerThraed" (did you mean "runsPerThread"?)'));
  assert.ok(problems.includes('unknown option "Payloads" (did you mean "payloads"?)'));
  const far = problems.find((p) => p.startsWith('unknown option "colour"'));
  assert.ok(far, problems.join("\n"));
  assert.match(far, /\(known: name, threads, runsPerThread, payloads, .*maxInFlight.*\)/);
  assert.ok(problems.some((p) => p.startsWith('"seed"')));
});

test("every documented option is known", () => {
  const all: Required<ExperimentOptions> = {
    name: "all_keys",
    threads: 1,
    runsPerThread: 1,
    payloads: [{}],
    shuffle: false,
    seed: 1,
    tags: {},
    warmup: 0,
    sleepMs: 0,
    signal: new AbortController().signal,
    onError: "record",
    onProgress: () => undefined,
    overwrite: false,
    timeoutMs: 1000,
    rps: 1,
    durationS: 1,
    arrival: "uniform",
    maxInFlight: 1,
    observeAfterS: 0,
  };
  // Mixing closed- and open-loop keys is the only problem here: no key is unknown.
  assert.deepEqual(
    problemsOf(all).filter((p) => p.includes("unknown")),
    [],
  );
});

test("options that are not an object, and values that JSON cannot show, give a ConfigError", () => {
  assert.match(problemsOf(null)[0], /experiment options must be an object, got null/);
  assert.match(problemsOf({ seed: 10n })[0], /"seed" must be a whole number ≥ 0, got 10n/);
});

test("experiment() refuses an unknown option before it deploys anything", async () => {
  const fn = cloudFunction("never_deployed_options", async () => 1);
  await assert.rejects(
    experiment(fn, { thread: 4 } as ExperimentOptions),
    (error: unknown) => error instanceof ConfigError && /did you mean "threads"/.test(error.message),
  );
});
