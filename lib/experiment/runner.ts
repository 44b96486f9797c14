import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { handleOf, type CloudFunction } from "../function/cloud-function";
import { holdConfig } from "../function/config-hold";
import type { FunctionHandle } from "../function/handle";
import { packageRoot } from "../paths";
import { runClosedLoop, runOpenLoop } from "./loops";
import type { ExperimentMeta } from "./meta";
import { resolveOptions, type ExperimentOptions, type ResolvedOptions } from "./options";
import { instanceIdsOf } from "./overview";
import { ProgressTracker } from "./progress";
import { ExperimentResult } from "./result";
import { InstanceTimeline } from "./instance-timeline";
import { RunContext } from "./run-context";
import type { Row } from "./row";
import { defaultSignal } from "../interrupt-hook";
import { hostInfo, openExperiment } from "./store";

/**
 * Runs many invocations and returns them as one table. Every completed invocation is journaled as
 * it finishes, so an abort, an error or a dead process loses nothing already done.
 */
export async function experiment(
  fn: CloudFunction<never, unknown>,
  options: ExperimentOptions = {},
): Promise<ExperimentResult> {
  const handle = handleOf(fn);
  const resolved = resolveOptions(options);
  const signal = options.signal ?? defaultSignal();
  // Every request in flight listens to the signal: many more than Node's default warning level of 10.
  if (signal) setMaxListeners(0, signal);
  // Until it ends, nothing in this process changes the function's config under it (config-hold.ts).
  const release = holdConfig(handle.prepare(), resolved.name);
  try {
    return await run(handle, resolved, options, signal);
  } finally {
    release();
  }
}

async function run(
  handle: FunctionHandle,
  resolved: ResolvedOptions,
  options: ExperimentOptions,
  signal: AbortSignal | undefined,
): Promise<ExperimentResult> {
  // Deploy first: the experiment measures invocations, not the build.
  const deployment = await handle.deploy({ signal });
  const prepared = handle.prepare();
  const writer = openExperiment({
    workspace: prepared.workspace,
    functionName: handle.name,
    name: resolved.name,
    overwrite: resolved.overwrite,
    meta: metaFor(resolved, handle.name, deployment.platform, deployment.config, options),
  });
  const plan = resolved.plan;
  const total = plan.mode === "closed" ? plan.threads * plan.runsPerThread : 0;
  const tracker = new ProgressTracker(resolved.name, handle.name, total, options.onProgress);
  const context = new RunContext(handle, resolved, writer, tracker, signal);
  // Instances over time, beside the rows (instances.jsonl), from before the first request.
  const timeline = InstanceTimeline.start(deployment, writer.files.instances);
  tracker.start();
  try {
    if (plan.mode === "closed") await runClosedLoop(context, plan, resolved);
    else await runOpenLoop(context, plan, resolved);
  } catch (error) {
    stopQuietly(timeline);
    try {
      writer.finish("failed", null, error instanceof Error ? error.message : String(error));
    } catch {
      // The loop's error is the one to report; meta.json's reason (or load() here) has finish()'s own.
    }
    tracker.finish();
    throw error;
  }
  const aborted = context.aborted;
  // The scale-down after the last request (an abort of the signal ends it early).
  await timeline.observe(resolved.observeAfterS, signal, (leftMs) => tracker.observing(leftMs));
  const timelineFailure = stopQuietly(timeline);
  const earlier = instanceIdsOf(prepared.workspace, handle.name, writer.dir);
  const overview = context.overview.overview(earlier);
  let rows: Row[];
  try {
    // Every row, runtimeOverlap filled: in memory, or past the writer's budget paged from runs.jsonl.
    // finish() throws when the rows could not all be stored (e.g. a full disk), after marking the run
    // "failed" in meta.json.
    rows = writer.finish(
      aborted ? "aborted" : "complete",
      overview,
      aborted ? "aborted by its AbortSignal" : null,
    );
  } finally {
    tracker.finish();
  }
  const meta = JSON.parse(readFileSync(path.join(writer.dir, "meta.json"), "utf8")) as ExperimentMeta;
  const warnings = [...writer.warnings];
  if (timelineFailure) warnings.push(`instances.jsonl is incomplete: ${String(timelineFailure)}`);
  return new ExperimentResult(rows, [meta], { warnings, instances: timeline.samples });
}

/** Stops the timeline; returns its write failure instead of throwing (the rows decide the run's fate). */
function stopQuietly(timeline: InstanceTimeline): unknown {
  try {
    timeline.stop();
    return null;
  } catch (error) {
    return error;
  }
}

type MetaDraft = Parameters<typeof openExperiment>[0]["meta"];

function metaFor(
  resolved: ResolvedOptions,
  functionName: string,
  platform: string,
  config: Record<string, unknown>,
  options: ExperimentOptions,
): MetaDraft {
  const { signal: _signal, onProgress: _onProgress, payloads, ...serialisable } = options;
  const stored = JSON.parse(JSON.stringify(serialisable)) as Record<string, unknown>;
  // Payloads were checked and converted once by resolveOptions: large ones are kept as a digest.
  if (payloads !== undefined) stored.payloads = resolved.storedPayloads;
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
    version: string;
  };
  return {
    name: resolved.name,
    functionName,
    platform,
    options: stored,
    config,
    tags: resolved.tags,
    versions: { faaslab: pkg.version, node: process.version },
    host: hostInfo(),
    startedAt: new Date().toISOString(),
  };
}
