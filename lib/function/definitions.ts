import { FaasLabError } from "../errors";
import type { Deployment } from "../platform";

/**
 * Which definition owns a function name in this process: the latest cloudFunction() (or
 * externalFunction()) call for it. Only the owner — or a definition identical to it (same source,
 * config and platform: re-running an unchanged cell) — deploys. An earlier, different definition keeps
 * running on the deployment it already had — so an experiment started on it finishes on the code it
 * started with — and otherwise fails with SUPERSEDED: two definitions of one name never redeploy over
 * each other.
 */
let lastGeneration = 0;
const owners = new Map<string, { generation: number; identity: () => string | null }>();

/** Makes the caller the latest definition of `name`; `identity` says what it deploys (null: unknown). */
export function claimName(name: string, identity: () => string | null): number {
  lastGeneration += 1;
  owners.set(name, { generation: lastGeneration, identity });
  return lastGeneration;
}

/** May the definition `generation`, which deploys `identity`, deploy `name`? */
export function mayDeploy(name: string, generation: number, identity: string): boolean {
  const owner = owners.get(name);
  return owner === undefined || owner.generation === generation || owner.identity() === identity;
}

/** A deployment with what it was made for: the hash and config key it matches. */
export interface DeployedEntry {
  hash: string;
  configKey: string;
  deployment: Deployment;
}

/** What ensureDeployed() needs to know about the definition asking. */
export interface Claim {
  /** Still the latest definition of its name (or identical to it)? */
  owns(): boolean;
  /** The deployment it last ran on, if any. */
  kept: DeployedEntry | null;
}

export function supersededError(name: string, platform: string): FaasLabError {
  return new FaasLabError(
    `"${name}" was defined again by a later cloudFunction() call, and this earlier definition has no ` +
      `deployment of its own to run on: it must not deploy over the newer one`,
    {
      code: "SUPERSEDED",
      phase: "deploy",
      platform,
      hint: `call the newer definition, or give one of the two another name (each name has one definition at a time)`,
    },
  );
}
