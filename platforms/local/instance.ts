import type { ChildProcess } from "node:child_process";
import { readFileSync, type WriteStream } from "node:fs";
import type { RawInvocation } from "../../lib/platform";
import type { ChildMessage, InvokeMessage } from "./protocol";
import type { LocalConfig } from "./schema";
import { instanceEnv, startAgain, startProcess } from "./spawn";

/** Why an instance stopped; decides the errorType of the requests it was serving. */
export type ExitReason = "timeout" | "oom" | "retired" | "crash";

export interface PendingRequest {
  id: string;
  payload: unknown;
  deadline: number;
  settle(raw: RawInvocation): void;
}

export interface InstanceEvents {
  onReady(instance: LocalInstance): void;
  onIdle(instance: LocalInstance): void;
  onExit(instance: LocalInstance): void;
}

const STDERR_TAIL_BYTES = 4096;
let nextInstanceNumber = 1;

/** Every instance process alive in this process, whichever pool it belongs to (for exit cleanup). */
export const liveInstances = new Set<LocalInstance>();

/** One child process running the artifact: a real cold start, reuse while alive. */
export class LocalInstance {
  readonly number = nextInstanceNumber++;
  /** Its process; replaced only when SIGINT killed it before it started (see startAgain in spawn.ts). */
  child: ChildProcess;
  ready = false;
  alive = true;
  /** No new requests: draining before exit (reconfigure, scale-down, shutdown). */
  retiring = false;
  lastUsed = Date.now();
  readonly inFlight = new Map<string, PendingRequest>();
  /** Assigned before the instance was ready; sent on "ready". */
  private readonly waiting: PendingRequest[] = [];
  private exitReason: ExitReason | null = null;
  private stderrTail = "";
  private timers = new Map<string, NodeJS.Timeout>();
  private readonly launch: () => ChildProcess;
  private starts = 0;

  constructor(
    artifactPath: string,
    functionName: string,
    private readonly config: LocalConfig,
    private readonly events: InstanceEvents,
    log: WriteStream | null,
  ) {
    const env = instanceEnv(functionName, config);
    this.launch = () => {
      this.starts += 1;
      const child = startProcess(artifactPath, [`--max-old-space-size=${config.memory}`], env);
      child.stdout?.on("data", (chunk: Buffer) => log?.write(chunk));
      child.stderr?.on("data", (chunk: Buffer) => {
        log?.write(chunk);
        this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
      });
      child.on("message", (message: ChildMessage) => this.onMessage(message));
      child.on("exit", (code, signal) => this.onExit(code, signal));
      child.on("error", () => this.kill("crash"));
      return child;
    };
    this.child = this.launch();
    liveInstances.add(this);
    // Only a busy instance keeps the caller's process alive (see assign/finish).
    this.setReferenced(false);
  }

  get assigned(): number {
    return this.inFlight.size + this.waiting.length;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Takes a request: sends it now, or on "ready" if the process is still starting. */
  assign(request: PendingRequest): void {
    this.lastUsed = Date.now();
    if (this.assigned === 0) this.setReferenced(true);
    if (this.ready) this.send(request);
    else this.waiting.push(request);
  }

  kill(reason: ExitReason): void {
    if (!this.alive) return;
    // The process stays `alive` until its exit event; it must take no new request meanwhile, or that
    // request fails with this instance (e.g. the call right after a timeout got "InstanceKilled").
    this.retiring = true;
    this.exitReason ??= reason;
    // Keep the caller alive until the exit is observed, so shutdown() can await it.
    this.setReferenced(true);
    this.child.kill("SIGKILL");
  }

  /** Let in-flight requests finish, then exit. */
  retire(): void {
    this.retiring = true;
    if (this.assigned === 0) this.kill("retired");
  }

  /** Current resident set size in MB, from /proc (null if unknown). */
  rssMb(): number | null {
    try {
      const pages = Number(readFileSync(`/proc/${this.child.pid}/statm`, "utf8").split(" ")[1]);
      return (pages * 4096) / 2 ** 20;
    } catch {
      return null;
    }
  }

  private send(request: PendingRequest): void {
    this.inFlight.set(request.id, request);
    const wait = Math.max(0, request.deadline - Date.now());
    const timer = setTimeout(() => this.onTimeout(request.id), wait);
    timer.unref();
    this.timers.set(request.id, timer);
    const message: InvokeMessage = {
      t: "inv",
      id: request.id,
      payload: request.payload,
      deadline: request.deadline,
    };
    this.child.send(message);
  }

  private onMessage(message: ChildMessage): void {
    if (message.t === "ready") {
      this.ready = true;
      for (const request of this.waiting.splice(0)) this.send(request);
      this.events.onReady(this);
    } else if (message.t === "res") {
      this.finish(message.id, message.body);
    }
  }

  private finish(id: string, body: string): void {
    const request = this.inFlight.get(id);
    if (!request) return;
    this.inFlight.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.lastUsed = Date.now();
    request.settle({ ...EMPTY, envelope: JSON.parse(body), statusCode: 200, responseBytes: body.length });
    if (this.assigned === 0) {
      if (this.retiring) this.kill("retired");
      else {
        this.setReferenced(false);
        this.events.onIdle(this);
      }
    }
  }

  private onTimeout(id: string): void {
    const request = this.inFlight.get(id);
    if (!request) return;
    this.inFlight.delete(id);
    const seconds = this.config.timeout;
    request.settle(failure("TimeoutError", `Task timed out after ${seconds} seconds`, true, 504));
    this.kill("timeout");
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.ready && this.exitReason === null && startAgain(signal, this.starts)) {
      this.child = this.launch();
      this.setReferenced(this.assigned > 0);
      return;
    }
    this.alive = false;
    liveInstances.delete(this);
    for (const timer of this.timers.values()) clearTimeout(timer);
    const reason = this.exitReason ?? (/heap out of memory/i.test(this.stderrTail) ? "oom" : "crash");
    const [errorType, message] = describeExit(reason, code, signal, this.stderrTail, this.config.memory);
    for (const request of [...this.inFlight.values(), ...this.waiting]) {
      request.settle(failure(errorType, message, false, 502));
    }
    this.inFlight.clear();
    this.waiting.length = 0;
    this.events.onExit(this);
  }

  /** A busy instance keeps the caller's process alive; an idle one must not. */
  private setReferenced(on: boolean): void {
    const channel = this.child.channel as { ref?(): void; unref?(): void } | undefined;
    // The stdout/stderr pipes are handles too: left referenced, an idle instance kept a script that
    // never called shutdown() from exiting.
    const pipes = [this.child.stdout, this.child.stderr] as ({ ref?(): void; unref?(): void } | null)[];
    if (on) {
      this.child.ref();
      channel?.ref?.();
      for (const pipe of pipes) pipe?.ref?.();
    } else {
      this.child.unref();
      channel?.unref?.();
      for (const pipe of pipes) pipe?.unref?.();
    }
  }
}

const EMPTY: RawInvocation = {
  envelope: null,
  failure: null,
  statusCode: null,
  responseBytes: null,
  attempts: 1,
  billedMs: null,
  initMs: null,
  maxMemoryUsedMb: null,
};

export function failure(
  errorType: string,
  errorMessage: string,
  timedOut: boolean,
  status: number,
): RawInvocation {
  return { ...EMPTY, failure: { errorType, errorMessage, timedOut }, statusCode: status };
}

function describeExit(
  reason: ExitReason,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderrTail: string,
  memoryMb: number,
): [string, string] {
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  const lastLines = stderrTail.trim().split("\n").slice(-5).join("\n");
  const detail = lastLines ? `; last output: ${lastLines}` : "";
  switch (reason) {
    case "oom":
      return ["OutOfMemory", `the instance exceeded its memory limit of ${memoryMb} MB and was stopped`];
    case "timeout":
      return ["InstanceKilled", "the instance was stopped because another request on it timed out"];
    case "retired":
      return ["InstanceRetired", "the instance was stopped before the request finished"];
    case "crash":
      return ["InstanceCrashed", `the instance exited with ${how} while running the request${detail}`];
  }
}
