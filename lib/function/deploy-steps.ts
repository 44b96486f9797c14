import { asFaasLabError } from "../errors";
import { openLogDisplay } from "../display";
import type { ControlOptions, Deployment, Logger } from "../platform";
import { platformModule, platformWith } from "../registry";
import { buildArtifact } from "./build";
import type { Prepared } from "./deployer";
import { installDependencies } from "./deps";
import { fileLogger } from "./logger";
import { checkSource } from "./source";
import { functionPaths } from "./workspace";

/** The steps of a deploy: build and hand to the platform, reconfigure, and the deploy log. */

export async function buildAndDeploy(
  prepared: Prepared,
  build: NonNullable<Prepared["build"]>,
  options: ControlOptions,
): Promise<Deployment> {
  const { log, signal } = options;
  const paths = functionPaths(prepared.name, prepared.workspace);
  const module = platformModule(prepared.platform);
  const platform = platformWith(prepared.platform, "deploy");
  if (module.shimEntry === null) throw new Error(`platform "${module.name}" declares deploy but has no shim`);
  const checked = checkSource(prepared.name, build.source);
  const nodePaths = await installDependencies(prepared.name, paths.deps, build.dependencies, log, signal);
  const artifact = await buildArtifact({
    functionName: prepared.name,
    hash: prepared.hash,
    checked,
    shimEntry: module.shimEntry,
    target: module.buildTarget(prepared.config),
    paths,
    nodePaths,
    workspace: prepared.workspace,
    log,
  });
  signal?.throwIfAborted();
  return platform.deploy(artifact, prepared.config, {
    log,
    signal,
    dataDir: paths.platformData,
    logDir: paths.logs,
  });
}

export async function reconfigureDeployment(
  prepared: Prepared,
  deployment: Deployment,
  options: ControlOptions,
): Promise<Deployment> {
  try {
    return await platformWith(prepared.platform, "reconfigure").reconfigure(
      deployment,
      prepared.config,
      options,
    );
  } catch (e) {
    throw asFaasLabError(e, { code: "RECONFIGURE_FAILED", phase: "deploy", platform: prepared.platform });
  }
}

/** Written to logs/deploy.log, streamed into the running cell inside a notebook, and to the caller's log. */
export function deployLog(prepared: Prepared, what: string, extra?: Logger): Logger {
  const paths = functionPaths(prepared.name, prepared.workspace);
  const display = openLogDisplay(`${what} ${prepared.name} → ${prepared.platform}`);
  const echo: Logger | undefined =
    display && extra ? (line) => (display(line), extra(line)) : (display ?? extra);
  return fileLogger(paths.logs, "deploy.log", echo);
}
