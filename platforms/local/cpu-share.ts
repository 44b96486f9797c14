import { availableParallelism } from "node:os";

// How much CPU an instance gets: the config's `cpu` turned into vCPUs. Pure, so the rule is
// unit-tested apart from the mechanisms that enforce it (cpu-limit.ts).

/** Lambda's rule: 1,769 MB of memory buys one vCPU, and CPU grows in proportion to memory. */
export const MB_PER_VCPU = 1769;

/** The knobs of the local config that decide an instance's CPU. */
export interface CpuConfig {
  memory: number;
  /** Absent in a deployment recorded before `cpu` existed: the default, "memory". */
  cpu?: number | "memory" | null;
}

export interface CpuShare {
  /** vCPUs the instance may use (the record's cpuAllocated). */
  vcpu: number;
  /** Whether a limit is enforced: false for `cpu: null`, or a share of the whole machine. */
  limited: boolean;
  /** The share the config asked for before the cap by the machine's cores; null for `cpu: null`. */
  wanted: number | null;
}

/** The cores this process may run on (its CPU affinity), the cap of every share. */
export function machineCores(): number {
  return availableParallelism();
}

/**
 * The effective share: `memory / 1769` for "memory", the number itself, or the whole machine for
 * null — never more than the machine's cores (the documented cap: the row reports what was given).
 */
export function cpuShare(config: CpuConfig, cores = machineCores()): CpuShare {
  const cpu = config.cpu === undefined ? "memory" : config.cpu;
  if (cpu === null) return { vcpu: cores, limited: false, wanted: null };
  const wanted = cpu === "memory" ? config.memory / MB_PER_VCPU : cpu;
  const vcpu = Math.min(wanted, cores);
  return { vcpu: round(vcpu), limited: vcpu < cores, wanted: round(wanted) };
}

/** A line for deploy.log when the cap changed the share (the cap is documented, never silent). */
export function capNote(config: CpuConfig, cores = machineCores()): string | null {
  const share = cpuShare(config, cores);
  if (share.wanted === null || share.wanted <= share.vcpu) return null;
  const asked = typeof config.cpu !== "number" ? `memory ${config.memory} MB / ${MB_PER_VCPU}` : `cpu`;
  return (
    `local: ${asked} asks for ${share.wanted} vCPU; this machine has ${cores} cores, ` +
    `so each instance gets ${share.vcpu} (cpuAllocated in the rows)`
  );
}

/** Four decimals: enough for a share (128 MB is 0.0724 vCPU), short in a table. */
function round(vcpu: number): number {
  return Math.round(vcpu * 10000) / 10000;
}
