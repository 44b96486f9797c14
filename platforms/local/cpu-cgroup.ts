import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { cgroupRoot } from "./containment";

// The kernel's CPU controller, where this process may write it: CFS bandwidth control holds a
// cgroup to `quota` µs of CPU per `period` µs, across all its processes and threads. Two layouts:
//
// - cgroup v2: `cpu.max` ("quota period") in the instance's own cgroup (the one containment.ts made),
//   once the cpu controller is enabled for faaslab's cgroups (`+cpu` in their parent's
//   cgroup.subtree_control; refused where the hierarchy above does not delegate it).
// - cgroup v1: a separate `cpu` hierarchy; faaslab makes `faaslab-<pid>/instance-<n>` there and
//   writes `cpu.cfs_period_us` and `cpu.cfs_quota_us`.

/** CFS's default period: 100 ms. A quota is at least 1 ms (the kernel's minimum). */
const PERIOD_US = 100_000;
const MIN_QUOTA_US = 1000;

export type CpuController =
  | { kind: "cgroup2"; dir: string; description: string }
  | { kind: "cgroup1"; dir: string; description: string }
  | { unavailable: string };

let controller: CpuController | undefined;

/** Which CPU controller faaslab may write here (found once per process). */
export function cpuController(): CpuController {
  controller ??= findCgroup2() ?? findCgroup1();
  return controller;
}

function findCgroup2(): CpuController | null {
  const root = cgroupRoot();
  if (!root) return null;
  try {
    writeFileSync(path.join(root, "cgroup.subtree_control"), "+cpu");
    const enabled = readFileSync(path.join(root, "cgroup.subtree_control"), "utf8").split(/\s+/);
    return enabled.includes("cpu") ? { kind: "cgroup2", dir: root, description: "cgroup v2 cpu.max" } : null;
  } catch {
    return null;
  }
}

function findCgroup1(): CpuController {
  if (process.platform !== "linux") return { unavailable: "cgroups exist on Linux only" };
  try {
    const mount = readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .map((line) => line.split(" "))
      .find((fields) => {
        const dash = fields.indexOf("-");
        return fields[dash + 1] === "cgroup" && (fields[dash + 3] ?? "").split(",").includes("cpu");
      })?.[4];
    const own = readFileSync("/proc/self/cgroup", "utf8")
      .split("\n")
      .map((line) => line.split(":"))
      .find((fields) => (fields[1] ?? "").split(",").includes("cpu"))?.[2];
    if (!mount || own === undefined) return { unavailable: "no cgroup cpu controller is mounted" };
    const parent = path.join(mount, own);
    removeStale(parent);
    const dir = path.join(parent, `faaslab-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    readFileSync(path.join(dir, "cpu.cfs_quota_us"), "utf8");
    return { kind: "cgroup1", dir, description: "cgroup v1 cpu.cfs_quota_us" };
  } catch (e) {
    return { unavailable: `the cpu controller cannot be written here (${(e as Error).message})` };
  }
}

/**
 * Removes the v1 groups of faaslab processes that died without removing them (SIGKILL): their
 * instances were killed by their guard, so the groups are empty. PIDs alive now are left alone.
 */
function removeStale(parent: string): void {
  for (const entry of readdirSync(parent)) {
    const pid = /^faaslab-(\d+)$/.exec(entry)?.[1];
    if (!pid || isRunning(Number(pid))) continue;
    const dir = path.join(parent, entry);
    try {
      for (const child of readdirSync(dir, { withFileTypes: true }))
        if (child.isDirectory()) rmdirSync(path.join(dir, child.name));
      rmdirSync(dir);
    } catch {
      // still in use or not ours to remove: leave it
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `vcpu` as a CFS quota in µs per PERIOD_US. */
export function quotaUs(vcpu: number): number {
  return Math.max(MIN_QUOTA_US, Math.round(vcpu * PERIOD_US));
}

/**
 * The weight of faaslab's group among its siblings, kept at one process's worth per instance in it.
 * The scheduler divides a busy machine between sibling groups by weight, and a group's default
 * weight is that of a single process: left alone, all of faaslab's instances together would get what
 * one unlimited process gets beside the machine's other work, and each instance far less than its share.
 */
const WEIGHT = {
  cgroup1: { file: "cpu.shares", perInstance: 1024, max: 262_144 },
  cgroup2: { file: "cpu.weight", perInstance: 100, max: 10_000 },
};
let instancesInGroups = 0;

function reweigh(found: Exclude<CpuController, { unavailable: string }>, change: number): void {
  instancesInGroups += change;
  const { file, perInstance, max } = WEIGHT[found.kind];
  const weight = Math.min(max, perInstance * Math.max(1, instancesInGroups));
  try {
    writeFileSync(path.join(found.dir, file), String(weight));
  } catch {
    // a weight the kernel refuses leaves the default: fidelity under load suffers, limits still hold
  }
}

/** One instance's CPU cgroup: join it at start, set its quota when it is ready, remove it at the end. */
export class KernelCpuLimit {
  private readonly dir: string;
  private readonly ownsDir: boolean;
  private released = false;

  /** `v2Cgroup`: the instance's containment cgroup (v2); `name`: its name for a v1 group. */
  constructor(
    private readonly found: Exclude<CpuController, { unavailable: string }>,
    v2Cgroup: string,
    name: string,
  ) {
    this.ownsDir = found.kind === "cgroup1";
    this.dir = found.kind === "cgroup1" ? path.join(found.dir, name) : v2Cgroup;
    if (this.ownsDir) mkdirSync(this.dir, { recursive: true });
    reweigh(found, +1);
  }

  /** Puts a just-started process into the group (v2: containment already did). */
  attach(pid: number): void {
    if (!this.ownsDir) return;
    try {
      writeFileSync(path.join(this.dir, "cgroup.procs"), String(pid));
    } catch {
      // it already exited
    }
  }

  /** Starts holding the group to `vcpu`; false when the kernel refused (the caller falls back). */
  engage(vcpu: number): boolean {
    const quota = quotaUs(vcpu);
    try {
      if (this.found.kind === "cgroup2") {
        writeFileSync(path.join(this.dir, "cpu.max"), `${quota} ${PERIOD_US}`);
      } else {
        writeFileSync(path.join(this.dir, "cpu.cfs_period_us"), String(PERIOD_US));
        writeFileSync(path.join(this.dir, "cpu.cfs_quota_us"), String(quota));
      }
      return true;
    } catch {
      return false;
    }
  }

  /** The instance exited: its weight goes; a v1 group is removed (v2: containment removes it). */
  release(): void {
    if (this.released) return;
    this.released = true;
    reweigh(this.found, -1);
    this.removeDir(40);
  }

  /** Removes a v1 group once its processes are gone, retrying while they finish dying. */
  private removeDir(attempts: number): void {
    if (!this.ownsDir) return;
    try {
      rmdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EBUSY" || attempts <= 0) return;
      setTimeout(() => this.removeDir(attempts - 1), 25).unref();
    }
  }
}
