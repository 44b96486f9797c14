import { FaasLabError, asFaasLabError } from "../errors";
import type { Deployment, DeploymentCheck, PlatformName } from "../platform";
import { platformFor } from "../registry";
import type { FunctionPaths } from "./workspace";

/** A check that failed: the deployment is gone or not to be trusted. */
export type FailedCheck = Exclude<DeploymentCheck, { status: "ok" }>;

/**
 * A deployment read back from state.json, checked before it is used: it must be about this function,
 * and its platform (when it can) confirms it is intact and names nothing outside the function's
 * directories. A state file is data anyone can edit; following it blindly ran (and deleted) files
 * anywhere.
 */
export async function checkDeployment(
  name: string,
  platform: PlatformName,
  deployment: Deployment,
  paths: FunctionPaths,
): Promise<DeploymentCheck> {
  if (deployment.functionName !== name || deployment.platform !== platform) {
    return {
      status: "untrusted",
      reason: `it describes "${deployment.functionName}" on ${deployment.platform}, not "${name}" on ${platform}`,
    };
  }
  const target = platformFor(platform);
  if (!target.verify) return { status: "ok" };
  try {
    return await target.verify(deployment, { dataDir: paths.platformData, logDir: paths.logs });
  } catch (e) {
    throw asFaasLabError(e, { code: "VERIFY_FAILED", phase: "deploy", platform });
  }
}

/** Why a function loaded from state.json (no source here) cannot run. */
export function unusableState(
  name: string,
  platform: PlatformName,
  paths: FunctionPaths,
  damaged: FailedCheck | null,
): FaasLabError {
  if (damaged?.status === "untrusted") {
    return new FaasLabError(`${paths.state} is not followed: ${damaged.reason}`, {
      code: "UNTRUSTED_STATE",
      phase: "load",
      platform,
      hint: "if the workspace was moved or copied, run the cell that defines it with cloudFunction() to deploy it here",
    });
  }
  const why = damaged ? `its deployment is damaged: ${damaged.reason}` : "its deployment changed or is gone";
  return new FaasLabError(`"${name}" has no source here and ${why}`, {
    code: "NOT_DEPLOYED",
    phase: "deploy",
    platform,
    hint: "run the cell that defines it with cloudFunction() to build and deploy it again",
  });
}
