import { spawn, type SpawnOptions } from "node:child_process";
import * as fs from "node:fs";

/**
 * true while `pid` is a running process. process.kill(pid, 0) is the test; a zombie (exited, not yet
 * reaped — orphans in a container whose PID 1 does not reap) counts as gone.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return processState(pid) !== "Z";
}

/** The state letter of /proc/<pid>/stat (R, S, Z, …), or null when it is gone. */
function processState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? null;
  } catch {
    return null;
  }
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function waitFor(check: () => boolean, timeoutMs: number, intervalMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits (bounded) for every pid to be gone; resolves to those still alive after `timeoutMs`. */
export async function survivors(pids: Iterable<number>, timeoutMs: number): Promise<number[]> {
  const all = [...new Set(pids)];
  await waitFor(() => all.every((pid) => !isAlive(pid)), timeoutMs);
  return all.filter(isAlive);
}

/** Live (non-zombie) child processes of `parent`, from /proc. */
export function childPids(parent = process.pid): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) === parent && state !== "Z") children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}

/** "pid (command line)" for messages. */
export function describePid(pid: number): string {
  try {
    return `${pid} (${fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim()})`;
  } catch {
    return `${pid} (gone)`;
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node -e script` to completion (killed after `timeoutMs`). */
export function runNode(script: string, options: SpawnOptions & { timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Starts `node -e script` and resolves with the first stdout line that parses as JSON (bounded by
 * `timeoutMs`), leaving the process running; the caller kills it.
 */
export function startNodeUntilJson(
  script: string,
  options: SpawnOptions & { timeoutMs: number },
): Promise<{ child: ReturnType<typeof spawn>; message: unknown }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${why}; stdout: ${stdout}; stderr: ${stderr}`));
    };
    const timer = setTimeout(() => fail(`no JSON line within ${options.timeoutMs} ms`), options.timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const line of stdout.split("\n").slice(0, -1)) {
        try {
          const message: unknown = JSON.parse(line);
          clearTimeout(timer);
          return resolve({ child, message });
        } catch {
          // not the line we wait for
        }
      }
    });
    child.on("exit", (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
  });
}
