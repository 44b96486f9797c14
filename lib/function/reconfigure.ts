import { asFaasLabError, FaasLabError } from "../errors";
import type { ControlOptions, PlatformConfig } from "../platform";
import { platformModule, platformWith } from "../registry";
import { handleOf, type CloudFunction } from "./cloud-function";
import { assertNoExperimentRunning } from "./config-hold";
import { fileLogger } from "./logger";
import { functionPaths } from "./workspace";

/**
 * Config-only change (memory, timeout, …): applied without rebuilding where the platform allows
 * (a platform that cannot reconfigure deploys anew). Validated first: a rejected change changes
 * nothing. Lasts until the function is redefined. Resolves to the effective config. Refused
 * (EXPERIMENT_RUNNING) while an experiment runs on the function in this process.
 */
export async function reconfigure(
  fn: CloudFunction<never, unknown>,
  config: PlatformConfig,
  options: Partial<ControlOptions> = {},
): Promise<PlatformConfig> {
  const handle = handleOf(fn);
  assertNoExperimentRunning(handle.prepare(), "reconfigure it");
  assertHasMemory(handle.prepare().platform, config);
  handle.reconfigure(config);
  const deployment = await handle.deploy(options);
  return { ...deployment.config };
}

/** A platform without a memory knob (an HTTP endpoint) cannot be given memory: UNSUPPORTED, as sweep needs. */
function assertHasMemory(platform: string, config: PlatformConfig): void {
  if (!("memory" in config) || "memory" in platformModule(platform).schema.fields) return;
  throw new FaasLabError(`the ${platform} platform has no memory setting to change`, {
    code: "UNSUPPORTED",
    phase: "config",
    platform,
    hint: "memory is set where the service is deployed; sweep and reconfigure({ memory }) need a platform faaslab deploys to",
  });
}

/**
 * Retire every running instance so the next call is a cold start (SeBS's technique on the clouds).
 * A platform that cannot do it throws UNSUPPORTED: a "cold start" experiment must not silently
 * measure warm calls.
 */
export async function forceColdStart(
  fn: CloudFunction<never, unknown>,
  options: Partial<ControlOptions> = {},
): Promise<void> {
  const handle = handleOf(fn);
  const platform = platformWith(handle.prepare().platform, "forceColdStart");
  const deployment = await handle.deploy(options);
  const paths = functionPaths(handle.name, handle.prepare().workspace);
  const log = fileLogger(paths.logs, "deploy.log", options.log);
  log(`force a cold start of ${handle.name} on ${deployment.platform}`);
  await platform.forceColdStart(deployment, { log, signal: options.signal }).catch((e: unknown) => {
    throw asFaasLabError(e, {
      code: "FORCE_COLD_START_FAILED",
      phase: "deploy",
      platform: deployment.platform,
    });
  });
}
