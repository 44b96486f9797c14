import type { PlatformConfig } from "../platform";
import { platformFor } from "../registry";
import { handleOf, type CloudFunction } from "./cloud-function";

/**
 * Config-only change (memory, timeout, …): applied without rebuilding where the platform allows;
 * on local the next calls run on fresh instances. Lasts until the function is redefined.
 * Resolves to the effective config.
 */
export async function reconfigure(
  fn: CloudFunction<never, unknown>,
  config: PlatformConfig,
): Promise<PlatformConfig> {
  const handle = handleOf(fn);
  handle.reconfigure(config);
  const deployment = await handle.deploy(false);
  return { ...deployment.config };
}

/** Retire every running instance so the next call is a cold start (SeBS's technique on the clouds). */
export async function forceColdStart(fn: CloudFunction<never, unknown>): Promise<void> {
  const deployment = await handleOf(fn).deploy(false);
  await platformFor(deployment.platform).forceColdStart?.(deployment);
}
