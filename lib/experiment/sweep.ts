import { reconfigure } from "../function/reconfigure";
import { handleOf, type CloudFunction } from "../function/cloud-function";
import { ConfigError } from "../errors";
import type { ExperimentOptions } from "./options";
import { ExperimentResult } from "./result";
import { experiment } from "./runner";
import { defaultSignal } from "../interrupt-hook";
import { concatRows } from "./paged-rows";

export interface SweepOptions extends ExperimentOptions {
  /** Memory settings (MB) to run, in order: one experiment each. */
  memory: number[];
}

/**
 * FaaSET's Activity 1 / aws-lambda-power-tuning: reconfigure, run, repeat. Each setting is stored as
 * its own experiment `<name>-<memory>MB`; the result holds all rows together (memoryMb tells them apart).
 * The function is left at its original memory afterwards.
 */
export async function sweep(
  fn: CloudFunction<never, unknown>,
  options: SweepOptions,
): Promise<ExperimentResult> {
  const { memory, ...experimentOptions } = options;
  if (!Array.isArray(memory) || memory.length === 0 || memory.some((m) => typeof m !== "number")) {
    throw new ConfigError([`"memory" must be a non-empty array of MB values, like [128, 256, 512]`]);
  }
  const handle = handleOf(fn);
  const original = handle.prepare().config.memory;
  const base = experimentOptions.name ?? `${handle.name}-sweep`;
  const results: ExperimentResult[] = [];
  // One signal for the whole sweep, so an interrupt stops it rather than only the current setting.
  const signal = experimentOptions.signal ?? defaultSignal();
  try {
    for (const mb of memory) {
      if (signal?.aborted) break;
      await reconfigure(fn, { memory: mb });
      results.push(await experiment(fn, { ...experimentOptions, signal, name: `${base}-${mb}MB` }));
    }
  } finally {
    handle.reconfigure({ memory: original });
  }
  return new ExperimentResult(
    concatRows(results.map((r) => r.allRows)),
    results.flatMap((r) => r.metas),
  );
}
