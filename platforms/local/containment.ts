import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

// Keeping an instance and every process it starts together, so that they die together, as a
// container's processes do. Two mechanisms, the second where the machine allows it:
//
// - The process group: an instance runs in a session and process group of its own (spawn.ts), and
//   its children join that group unless they call setsid() themselves (`detached: true`). Every stop
//   path kills the whole group.
// - A cgroup v2 per instance: every descendant stays in it whatever it does with sessions and groups,
//   and writing "1" to its cgroup.kill kills them all at once. It needs a cgroup2 hierarchy in which
//   this process may create cgroups (root, or a delegated systemd scope); otherwise the process group
//   is all there is, and deploy says so once.
//
// A PID namespace (unshare --pid) was measured and rejected: a process whose children go to a new PID
// namespace cannot start threads (Node aborts at start), and a Node inside one sees itself as PID 1
// or 2, so a function's process.pid would no longer tell its instances apart.

/** The cgroup directory under which this process creates one cgroup per instance, or why there is none. */
type Hierarchy = { dir: string } | { unavailable: string };

let hierarchy: Hierarchy | undefined;

function findHierarchy(): Hierarchy {
  if (process.platform !== "linux") return { unavailable: "cgroups exist on Linux only" };
  try {
    const mount = readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .map((line) => line.split(" "))
      .find((fields) => fields[fields.indexOf("-") + 1] === "cgroup2")?.[4];
    const own = readFileSync("/proc/self/cgroup", "utf8")
      .split("\n")
      .find((line) => line.startsWith("0::"))
      ?.slice(3);
    if (!mount || own === undefined) return { unavailable: "no cgroup2 hierarchy is mounted" };
    const dir = path.join(mount, own, `faaslab-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    return { dir };
  } catch (e) {
    return { unavailable: `cgroups cannot be created here (${(e as Error).message})` };
  }
}

/** The per-process cgroup directory (made on first use), or null; `whyNot` says why not. */
export function cgroupRoot(): string | null {
  hierarchy ??= findHierarchy();
  return "dir" in hierarchy ? hierarchy.dir : null;
}

/** Why instances are contained by process group only, or null when each gets a cgroup. */
export function containmentNote(): string | null {
  hierarchy ??= findHierarchy();
  if ("dir" in hierarchy) return null;
  return (
    `local: processes a function starts are stopped with its instance by process group only ` +
    `(${hierarchy.unavailable}); one that calls setsid() (detached: true) can outlive its instance`
  );
}

/** SIGKILL to a process group; false when it has no member left. */
export function killGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}

/** The processes of one instance: its process group and, where available, its cgroup. */
export class Containment {
  /** The instance's cgroup v2 directory, or null without one (cpu-limit.ts writes cpu.max there). */
  readonly cgroup: string | null;

  constructor(name: string) {
    const root = cgroupRoot();
    let cgroup: string | null = null;
    if (root) {
      try {
        cgroup = path.join(root, name);
        mkdirSync(cgroup, { recursive: true });
      } catch {
        cgroup = null;
      }
    }
    this.cgroup = cgroup;
  }

  /** Puts a just-started process (before it ran any code of its own) into the instance's cgroup. */
  adopt(pid: number): void {
    if (!this.cgroup) return;
    try {
      writeFileSync(path.join(this.cgroup, "cgroup.procs"), String(pid));
    } catch {
      // it already exited: nothing of it to contain
    }
  }

  /** Kills the process group led by `pid` and everything in the cgroup. Synchronous (exit handlers). */
  killAll(pid: number | undefined): void {
    if (pid) killGroup(pid);
    if (!this.cgroup) return;
    try {
      writeFileSync(path.join(this.cgroup, "cgroup.kill"), "1");
    } catch {
      // kernels before 5.14 have no cgroup.kill: kill what is listed
      for (const member of this.members()) killPid(member);
    }
  }

  /** PIDs in the cgroup (empty without one). */
  members(): number[] {
    if (!this.cgroup) return [];
    try {
      return readFileSync(path.join(this.cgroup, "cgroup.procs"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }

  /** Removes the cgroup once empty (after killAll), retrying while the killed processes finish dying. */
  release(attempts = 40): void {
    const cgroup = this.cgroup;
    if (!cgroup) return;
    try {
      rmdirSync(cgroup);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EBUSY" || attempts <= 0) return;
      setTimeout(() => this.release(attempts - 1), 25).unref();
    }
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
