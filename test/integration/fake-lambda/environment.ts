import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { toOutcome, type Outcome, type RunResult } from "./outcome";
import type { ChildMessage, ErrorPayload, InvokeMessage } from "./protocol";
import type { Revision } from "./store";

const RUNTIME = path.join(__dirname, "runtime.js");
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
const INIT_TIMEOUT_MS = 10_000;
const MEMORY_POLL_MS = 20;
const SIGNAL_TEXT: Record<string, string> = {
  SIGKILL: "killed",
  SIGABRT: "aborted",
  SIGSEGV: "segmentation fault",
};
let nextId = 1;

export type { Outcome };

/** One execution environment: a child process running one revision, one request at a time. */
export class ExecutionEnvironment {
  readonly id = `env-${nextId++}`;
  readonly child: ChildProcess;
  busy = false;
  /** No new requests: its revision was replaced or its function deleted. */
  retired = false;
  alive = true;
  invocations = 0;
  private initLog = "";
  private initMs: number | null = null;
  private readonly ready: Promise<ErrorPayload | null>;
  private peakRssKb = 0;
  private exitReason = "";
  private current: { log: string; finish(m: ChildMessage | null): void } | null = null;

  constructor(
    readonly functionName: string,
    private readonly arn: string,
    readonly revision: Revision,
    region: string,
  ) {
    const s = revision.settings;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      ...s.Environment,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(s.MemorySize),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${this.id}`,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${s.Runtime}`,
      LAMBDA_TASK_ROOT: revision.codeDir,
      _HANDLER: s.Handler,
    };
    const heap = `--max-old-space-size=${Math.floor(s.MemorySize * 0.9)}`;
    const stdio = ["ignore", "ignore", "ignore", "ipc"] as ("ignore" | "ipc")[];
    const options = { cwd: revision.codeDir, env, stdio };
    // setpriv: the environment dies with the server's process even if that one is killed.
    this.child = SETPRIV
      ? spawn(SETPRIV, ["--pdeathsig", "KILL", process.execPath, heap, RUNTIME], options)
      : fork(RUNTIME, [], { ...options, execArgv: [heap] });
    const t0 = performance.now();
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve({ errorType: "Runtime.InitTimeout", errorMessage: "Init phase timed out", trace: [] });
        this.kill();
      }, INIT_TIMEOUT_MS);
      this.child.on("message", (m: ChildMessage) => {
        if (m.type === "log") {
          if (this.current) this.current.log += m.text;
          else this.initLog += m.text;
        } else if (m.type === "ready" || m.type === "initError") {
          clearTimeout(timer);
          this.initMs = performance.now() - t0;
          resolve(m.type === "ready" ? null : m.error);
        } else if (m.type === "done") {
          this.peakRssKb = Math.max(this.peakRssKb, m.maxRssKb);
          if (m.fatal) this.kill();
          this.current?.finish(m);
        }
      });
      this.child.on("error", () => this.kill());
      this.child.on("exit", (code, signal) => {
        clearTimeout(timer);
        this.alive = false;
        this.exitReason = signal
          ? `signal: ${SIGNAL_TEXT[signal] ?? signal.toLowerCase()}`
          : `exit status ${code}`;
        resolve({
          errorType: "Runtime.ExitError",
          errorMessage: `Runtime exited with error: ${this.exitReason}`,
          trace: [],
        });
        this.current?.finish(null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one request; Timeout and MemorySize are enforced by killing the environment. */
  async invoke(requestId: string, event: string): Promise<Outcome> {
    const cold = this.invocations++ === 0;
    const initError = await this.ready;
    const s = this.revision.settings;
    const t0 = performance.now();
    const state: { stopped: RunResult["stopped"] } = { stopped: null };
    const stop = (why: "timeout" | "oom") => {
      state.stopped = why;
      this.readPeakRss();
      this.kill();
    };
    const current = { log: "", finish: (_m: ChildMessage | null) => undefined as void };
    const message = await new Promise<ChildMessage | null>((finish) => {
      this.current = current;
      if (initError) return finish({ type: "done", requestId, error: initError, maxRssKb: this.peakRssKb });
      const timer = setTimeout(() => stop("timeout"), s.Timeout * 1000);
      const watchdog = setInterval(() => {
        if (this.readRss() > s.MemorySize * 1024) stop("oom");
      }, MEMORY_POLL_MS);
      current.finish = (m) => {
        clearTimeout(timer);
        clearInterval(watchdog);
        finish(m);
      };
      const invoke: InvokeMessage = {
        type: "invoke",
        requestId,
        event,
        deadline: Date.now() + s.Timeout * 1000,
        invokedFunctionArn: this.arn,
      };
      this.child.send(invoke);
    });
    this.current = null;
    return toOutcome({
      requestId,
      settings: s,
      message,
      stopped: state.stopped,
      initError,
      durationMs: state.stopped === "timeout" ? s.Timeout * 1000 : performance.now() - t0,
      initMs: cold ? this.initMs : null,
      initLog: cold ? this.initLog : "",
      log: current.log,
      peakRssKb: this.peakRssKb,
      exitReason: this.exitReason,
      crashed: !this.alive,
      cold,
      environmentId: this.id,
    });
  }

  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    this.child.kill("SIGKILL");
  }

  /** Waits (bounded) for the process to be gone after kill(). */
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

  /** Current resident set (KB) from /proc; 0 when it cannot be read. */
  private readRss(): number {
    return this.procStatus(/VmRSS:\s+(\d+) kB/);
  }

  /** Peak RSS of a process about to be killed (it cannot report its own any more). */
  private readPeakRss(): void {
    this.peakRssKb = Math.max(this.peakRssKb, this.procStatus(/VmHWM:\s+(\d+) kB/));
  }

  private procStatus(field: RegExp): number {
    try {
      const match = field.exec(readFileSync(`/proc/${this.child.pid}/status`, "utf8"));
      return match ? Number(match[1]) : 0;
    } catch {
      return 0; // already gone
    }
  }
}
