import { FaasLabError } from "../errors";
import type { Deployment } from "../platform";

/**
 * The definitions of one function name in this process, numbered in the order they were made
 * (cloudFunction() or externalFunction() calls). A definition never deploys over a newer one's
 * deployment: it may deploy while it is the latest (or identical to it — an unchanged cell run again)
 * or while no newer definition has deployed yet. Once a newer one has, an earlier, different
 * definition keeps running on the deployment it already had — so an experiment started on it
 * finishes on the code it started with — and otherwise fails with SUPERSEDED. Two definitions of one
 * name therefore deploy at most once each, and the latest deployed stays deployed.
 */
let lastGeneration = 0;
const owners = new Map<string, { generation: number; identity: () => string | null }>();
/** Per name, the newest definition that deployed (or took over state.json's deployment). */
const newestDeployed = new Map<string, number>();

/** Makes the caller the latest definition of `name`; `identity` says what it deploys (null: unknown). */
export function claimName(name: string, identity: () => string | null): number {
  lastGeneration += 1;
  owners.set(name, { generation: lastGeneration, identity });
  return lastGeneration;
}

/** May the definition `generation`, which deploys `identity`, deploy `name` now? */
export function mayDeploy(name: string, generation: number, identity: string): boolean {
  const owner = owners.get(name);
  if (owner === undefined || owner.generation === generation || owner.identity() === identity) return true;
  return (newestDeployed.get(name) ?? 0) <= generation;
}

/** The definition `generation` runs on a deployment it deployed (or took over from state.json). */
export function markDeployed(name: string, generation: number): void {
  newestDeployed.set(name, Math.max(newestDeployed.get(name) ?? 0, generation));
}

/** A deployment with what it was made for: the hash and config key it matches. */
export interface DeployedEntry {
  hash: string;
  configKey: string;
  deployment: Deployment;
}

/** What ensureDeployed() needs to know about the definition asking. */
export interface Claim {
  /** May it deploy now (see mayDeploy)? */
  mayDeploy(): boolean;
  /** The deployment it last ran on, if any. */
  kept(): DeployedEntry | null;
  /** It runs on `entry` from now on: told by the deployer before any other deploy of the name starts. */
  keep(entry: DeployedEntry): void;
}

export function supersededError(name: string, platform: string): FaasLabError {
  return new FaasLabError(
    `"${name}" was defined again by a later cloudFunction() call, which has deployed since; this ` +
      `earlier definition has no deployment of its own to run on and must not deploy over the newer one`,
    {
      code: "SUPERSEDED",
      phase: "deploy",
      platform,
      hint: `call the newer definition, or give one of the two another name (each name has one definition at a time)`,
    },
  );
}
