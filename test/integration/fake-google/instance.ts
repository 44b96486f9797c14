import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { Agent } from "node:http";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { FRAMEWORK } from "./build";

const PRELOAD = path.join(__dirname, "listen-loopback.js");
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
const LOG_LIMIT = 16_384;
let nextId = 1;

/** What an instance runs: one revision of one function. */
export interface Revision {
  functionId: string;
  name: string;
  codeDir: string;
  entryPoint: string;
  environment: Record<string, string>;
  memoryMiB: number;
  timeoutSeconds: number;
  concurrency: number;
  maxInstances: number;
  minInstances: number;
}

/**
 * One Cloud Run instance: a child Node process running the Functions Framework CLI installed in the
 * build's node_modules (`--target=<entryPoint> --port=0`), with the environment Cloud Run sets.
 */
export class Instance {
  readonly id = `instance-${nextId++}`;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** Idle connections close after 10 min here, before the instance's own 620 s (listen-loopback.ts). */
  readonly agent = new Agent({ keepAlive: true, timeout: 600_000 });
  port = 0;
  /** Requests assigned (waiting for it to start, or running). */
  inflight = 0;
  served = 0;
  alive = true;
  /** Takes no new requests: its revision was replaced or its function deleted. */
  retired = false;
  startMs: number | null = null;
  log = "";

  constructor(
    readonly revision: Revision,
    startTimeoutMs: number,
  ) {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...revision.environment,
      NODE_ENV: "production",
      PORT: "8080",
      K_SERVICE: revision.functionId,
      K_REVISION: revision.name,
      K_CONFIGURATION: revision.functionId,
      FUNCTION_TARGET: revision.entryPoint,
      FUNCTION_SIGNATURE_TYPE: "http",
    };
    const cli = path.join(revision.codeDir, "node_modules", FRAMEWORK, "build", "src", "main.js");
    const node = [
      `--max-old-space-size=${Math.max(64, Math.floor(revision.memoryMiB * 0.9))}`,
      "-r",
      PRELOAD,
      cli,
    ];
    const args = [
      ...node,
      `--target=${revision.entryPoint}`,
      "--port=0",
      `--source=${revision.codeDir}`,
      "--signature-type=http",
    ];
    const options = {
      cwd: revision.codeDir,
      env,
      stdio: ["ignore", "pipe", "pipe", "ipc"] as ("ignore" | "pipe" | "ipc")[],
    };
    // setpriv: the instance dies with the fake's process even if that one is killed.
    this.child = SETPRIV
      ? spawn(SETPRIV, ["--pdeathsig", "KILL", process.execPath, ...args], options)
      : spawn(process.execPath, args, options);
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-LOG_LIMIT));
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    const t0 = performance.now();
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no listening port within ${startTimeoutMs} ms`));
        this.kill();
      }, startTimeoutMs);
      this.child.on("message", (m: { type?: string; port?: number }) => {
        if (m.type !== "listening" || typeof m.port !== "number") return;
        clearTimeout(timer);
        this.port = m.port;
        this.startMs = performance.now() - t0;
        resolve();
      });
      this.child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      this.child.on("exit", (code, signal) => {
        clearTimeout(timer);
        this.alive = false;
        this.agent.destroy();
        reject(new Error(`the container exited (${signal ?? `code ${code}`}) before listening`));
      });
    });
    this.ready.catch(() => undefined); // observed by whoever awaits it; never unhandled
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    this.agent.destroy();
    this.child.kill("SIGKILL");
  }

  /** Waits (bounded) until the process is gone. */
  exited(timeoutMs = 2000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
