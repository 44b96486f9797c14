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
