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

export function startProcess(
  artifactPath: string,
  nodeOptions: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const options = {
    env,
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
