import { cpuController, KernelCpuLimit } from "./cpu-cgroup";
import { DutyCycle } from "./cpu-duty-cycle";
import { cpuShare, type CpuConfig, type CpuShare } from "./cpu-share";

// Holding one instance to its CPU share (cpu-share.ts): the kernel's CPU controller where faaslab
// may write it (cpu-cgroup.ts), else the parent's SIGSTOP/SIGCONT duty cycle (cpu-duty-cycle.ts),
// which needs no privilege. An instance starts at full speed and is held to its share from "ready"
// on: its cold start (Node's boot, loading the artifact, the function's module code) is not slowed.

/**
 * Forces the mechanism (tests, benches, or a machine whose cgroup limits misbehave):
 * `FAASLAB_CPU_LIMITER=signals` uses the duty cycle even where the kernel's controller is writable.
 */
export const LIMITER_ENV = "FAASLAB_CPU_LIMITER";

export type CpuMechanism = "cgroup2" | "cgroup1" | "signals" | "none";

/** Both mechanisms need Linux: cgroups, and /proc for the duty cycle's measurements. */
const CAN_LIMIT = process.platform === "linux";

/** What enforces a share here, and in words for deploy.log and the README. */
export function cpuMechanism(share: CpuShare): { mechanism: CpuMechanism; description: string } {
  if (!share.limited) return { mechanism: "none", description: "no CPU limit" };
  if (!CAN_LIMIT) return { mechanism: "none", description: "not enforced: CPU limits need Linux" };
  const found = process.env[LIMITER_ENV] === "signals" ? null : cpuController();
  if (found && "kind" in found) return { mechanism: found.kind, description: found.description };
  const why = found && "unavailable" in found ? ` (${found.unavailable})` : ` (${LIMITER_ENV}=signals)`;
  return { mechanism: "signals", description: `SIGSTOP/SIGCONT duty cycle${why}` };
}

/** The vCPUs an instance really has (the rows' cpuAllocated): its share, or the machine where none is enforced. */
export function allocatedCpu(config: CpuConfig): number {
  const share = cpuShare(config);
  return CAN_LIMIT ? share.vcpu : cpuShare({ ...config, cpu: null }).vcpu;
}

/** One instance's limit: attach() when its process starts, engage() when it is ready, release() at exit. */
export class CpuLimit {
  /** What holds this instance (a kernel refusal at engage() falls back to "signals"). */
  mechanism: CpuMechanism;
  private readonly kernel: KernelCpuLimit | null = null;
  private dutyCycle: DutyCycle | null = null;
  private pid: number | undefined;
  private busy = false;

  /** `v2Cgroup`: the instance's containment cgroup, or null without one. */
  constructor(
    private readonly share: CpuShare,
    v2Cgroup: string | null,
    name: string,
  ) {
    this.mechanism = cpuMechanism(share).mechanism;
    const found = this.mechanism === "cgroup1" || this.mechanism === "cgroup2" ? cpuController() : null;
    if (found && "kind" in found) {
      try {
        if (found.kind === "cgroup2" && !v2Cgroup) throw new Error("the instance has no cgroup");
        this.kernel = new KernelCpuLimit(found, v2Cgroup ?? "", name);
      } catch {
        this.mechanism = "signals";
      }
    }
  }

  attach(pid: number): void {
    this.pid = pid;
    this.kernel?.attach(pid);
  }

  /** From now on the instance runs at its share. */
  engage(): void {
    if (this.mechanism === "none" || this.pid === undefined) return;
    if (this.kernel?.engage(this.share.vcpu)) return;
    this.mechanism = "signals";
    this.dutyCycle ??= new DutyCycle(this.pid, this.share.vcpu);
    this.dutyCycle.setBusy(this.busy);
    this.dutyCycle.start();
  }

  /** Whether the instance has requests (the duty cycle measures a busy one more often). */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.dutyCycle?.setBusy(busy);
  }

  /** The instance exited (or is about to be killed): stop limiting, remove what was made for it. */
  release(): void {
    this.dutyCycle?.end();
    this.kernel?.release();
  }
}
