import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { ENV } from "./protocol";

// How an instance's process is started: which program, arguments, environment and process relations
// (death signal, session) it gets. Kept apart from instance.ts, which keeps the books of a running
// instance (requests, timeouts, exit reasons): one concern per file.

/**
 * util-linux's setpriv, where present: `--pdeathsig KILL` makes the kernel kill the instance when its
 * parent dies. Without it, an instance stuck in a synchronous loop outlives a SIGKILLed kernel forever
 * (it never sees the IPC channel close, and the timeout was enforced by the parent).
 */
const SETPRIV =
  process.platform === "linux" ? ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p)) : undefined;

/**
 * Starts the artifact in a new Node process, in a session (and process group) of its own: `detached`
 * makes the child call setsid() before it execs. Jupyter interrupts a kernel with SIGINT to the
 * kernel's whole process group, and a process in that group that has no SIGINT listener yet (an
 * instance still starting, before its shim loaded) dies of it. Outside the group, no interrupt
 * reaches the instance from its exec on.
 *
 * The instance still dies with its parent, none of which needs the process group: setpriv's death
 * signal, its shim's exit when the IPC channel closes, the platform's exit handler and shutdown().
 * Nothing else changes: the same stdio pipes and IPC channel, and whether the child keeps the
 * parent's event loop alive is still decided only by ref()/unref() (instance.ts).
 */
export function startProcess(
  artifactPath: string,
  nodeOptions: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const options = {
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", "ipc"] as ("ignore" | "pipe" | "ipc")[],
    serialization: "json" as const,
  };
  // setpriv execs node in place (same PID), and the IPC channel passes through like with fork().
  if (SETPRIV)
    return spawn(SETPRIV, ["--pdeathsig", "KILL", process.execPath, ...nodeOptions, artifactPath], options);
  return fork(artifactPath, [], { ...options, execArgv: nodeOptions });
}

/**
 * One moment is left that no spawn option covers: from fork() until the child's setsid(), the child
 * is still in the parent's process group. It is short (about one to two milliseconds per start,
 * measured here with this package loaded), but an interrupt that lands in it kills the child before
 * it execs, before any code of its own ran, so nothing is lost by starting it again. A process that
 * SIGINT killed before it was ready therefore starts again, up to START_ATTEMPTS starts in all: one
 * interrupt can kill at most one start of an instance (the next start begins after that exit is
 * seen), so an instance outlives any START_ATTEMPTS - 1 interrupts, and a stream of them still ends,
 * as a crash. Once ready, its shim ignores SIGINT (shim/worker.ts).
 */
export const START_ATTEMPTS = 3;

/** Whether a process that exited by `signal` before it was ready, its `starts`-th start, starts again. */
export function startAgain(signal: NodeJS.Signals | null, starts: number): boolean {
  return signal === "SIGINT" && starts < START_ATTEMPTS;
}

/** The knobs of the local config that shape an instance's environment. */
interface EnvironmentConfig {
  memory: number;
  environment: Record<string, string>;
}

export function instanceEnv(functionName: string, config: EnvironmentConfig): NodeJS.ProcessEnv {
  // A function sees a clean environment, as on a cloud platform — not the notebook's secrets.
  const inherited = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];
  const env: NodeJS.ProcessEnv = {};
  for (const key of inherited) if (process.env[key] !== undefined) env[key] = process.env[key];
  return {
    ...env,
    ...config.environment,
    [ENV.functionName]: functionName,
    [ENV.memoryMb]: String(config.memory),
    [ENV.region]: "local",
  };
}
