import { FaasLabError } from "../errors";
import type { Prepared } from "./deployer";

/**
 * While an experiment runs on a function, the function's deployment keeps the config the experiment
 * started with: meta.json states one config, so its rows must not mix two. `reconfigure()`, or a call
 * through another callable of the same function with another config (a redefinition in another cell),
 * is refused until the experiment ends. This process only: rows carry what the function itself reports
 * (memoryMb), and load() warns when those disagree with meta.json (a change made elsewhere).
 */
interface Hold {
  experiment: string;
  configKey: string;
  hash: string;
}

const holds = new Map<string, Hold[]>();

function keyOf(prepared: Pick<Prepared, "workspace" | "name">): string {
  return `${prepared.workspace}\0${prepared.name}`;
}

/** Pins the config of `prepared` for experiment `experiment`; returns the release (idempotent). */
export function holdConfig(prepared: Prepared, experiment: string): () => void {
  const key = keyOf(prepared);
  const hold: Hold = { experiment, configKey: prepared.configKey, hash: prepared.hash };
  holds.set(key, [...(holds.get(key) ?? []), hold]);
  return () => {
    const left = (holds.get(key) ?? []).filter((h) => h !== hold);
    if (left.length) holds.set(key, left);
    else holds.delete(key);
  };
}

/** Throws when an experiment runs on this function (any config change would reach its rows). */
export function assertNoExperimentRunning(
  prepared: Pick<Prepared, "workspace" | "name">,
  what: string,
): void {
  const held = holds.get(keyOf(prepared));
  if (held?.length) throw refusal(prepared.name, held[0].experiment, what);
}

/** Throws when an experiment runs on this function with another config (or artifact) than `prepared`. */
export function assertConfigNotHeld(prepared: Prepared): void {
  if (holds.size === 0) return; // the common case: no experiment running
  const other = holds
    .get(keyOf(prepared))
    ?.find((h) => h.configKey !== prepared.configKey || h.hash !== prepared.hash);
  if (other) throw refusal(prepared.name, other.experiment, "deploy it with another config or source");
}

function refusal(name: string, experiment: string, what: string): FaasLabError {
  return new FaasLabError(
    `cannot ${what} while experiment "${experiment}" runs on "${name}": its rows would mix two configs while its meta.json states one`,
    {
      code: "EXPERIMENT_RUNNING",
      phase: "deploy",
      hint: "wait until the experiment ends, or stop it (its AbortSignal, or interrupt the notebook); to compare configs, run one experiment per config (sweep() does)",
    },
  );
}
