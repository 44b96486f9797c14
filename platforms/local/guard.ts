import { spawn, type ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";
import { cgroupRoot } from "./containment";
import { cpuController } from "./cpu-cgroup";

// What stops an instance's descendants when this process dies without running any code (SIGKILL, a
// kernel restart). setpriv's death signal kills the instance itself, but not what it started: its
// children are reparented and live on. So one small shell per notebook process (not per instance: no
// cold start pays for it) waits for the end of a pipe that only this process holds. The kernel closes
// it however this process ends; the shell then kills every instance's process group it was told
// about, and every instance cgroup, and removes the cgroups (and the cgroup v1 CPU groups, cpu-cgroup.ts).

const SCRIPT = `
groups=" "
while read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) kept=" "; for g in $groups; do [ "$g" = "\${line#-}" ] || kept="$kept$g "; done; groups="$kept" ;;
  esac
done
for g in $groups; do kill -KILL -- "-$g" 2>/dev/null; done
if [ -n "$1" ]; then for d in "$1"/*/; do [ -e "$d/cgroup.kill" ] && echo 1 > "$d/cgroup.kill"; done; fi
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  left=0
  for root in "$1" "$2"; do
    [ -n "$root" ] || continue
    rmdir "$root"/*/ 2>/dev/null; [ ! -d "$root" ] || rmdir "$root" 2>/dev/null || left=1
  done
  [ $left = 0 ] && exit 0; sleep 0.05
done
`;

let guard: { child: ChildProcess; input: Writable } | null | undefined;

function startGuard(): { child: ChildProcess; input: Writable } | null {
  try {
    // Its own session: the notebook's interrupt (SIGINT to the kernel's process group) must not end it.
    const cpu = cpuController();
    const cpuGroups = "kind" in cpu && cpu.kind === "cgroup1" ? cpu.dir : "";
    const child = spawn("/bin/sh", ["-c", SCRIPT, "faaslab-guard", cgroupRoot() ?? "", cpuGroups], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    const input = child.stdin as Writable & { unref?(): void };
    child.on("error", () => (guard = null));
    input.on("error", () => undefined);
    // It must never keep the notebook's process alive.
    child.unref();
    input.unref?.();
    return { child, input };
  } catch {
    return null;
  }
}

/** Tell the guard about an instance's process group (`live`) or that it is gone. */
export function guardGroup(pgid: number, live: boolean): void {
  if (process.platform === "win32") return;
  guard ??= startGuard();
  guard?.input.write(`${live ? "+" : "-"}${pgid}\n`);
}

/** Ends the guard (shutdown): it stops what is left, removes the cgroups and exits; resolves then. */
export function stopGuard(): Promise<void> {
  const current = guard;
  guard = undefined;
  if (!current || current.child.exitCode !== null || current.child.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => {
    current.child.once("exit", () => resolve());
    // Awaited by shutdown(): it keeps this process alive until the guard is done.
    current.child.ref();
    current.input.end();
  });
}

/** The guard's PID (tests). */
export function guardPid(): number | undefined {
  return guard?.child.pid;
}
