import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import type { RawInvocation } from "../../lib/platform";
import { Containment } from "./containment";
import { CpuLimit } from "./cpu-limit";
import { cpuShare } from "./cpu-share";
import { guardGroup } from "./guard";
import type { InstanceLog } from "./instance-log";
import {
  describeExit,
  exitLine,
  failure,
  payloadNote,
  success,
  timeoutMessage,
  type ExitReason,
  type TimeLimit,
} from "./messages";
import type { ChildMessage, InvokeMessage } from "./protocol";
import type { LocalConfig } from "./schema";
import { instanceEnv, startAgain, startProcess } from "./spawn";

export { failure, type ExitReason } from "./messages";

export interface PendingRequest {
  id: string;
  payload: unknown;
  deadline: number;
  limit: TimeLimit;
  settle(raw: RawInvocation): void;
}

export interface InstanceEvents {
  onReady(instance: LocalInstance): void;
  onIdle(instance: LocalInstance): void;
  onExit(instance: LocalInstance): void;
}

const STDERR_TAIL_BYTES = 4096;
/** How long after an instance's exit its pipes are still read (a process that escaped containment holds them). */
const OUTPUT_GRACE_MS = 2000;
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
  /** Its process group and cgroup: everything the instance started dies with it. */
  private readonly containment = new Containment(`instance-${this.number}`);
  /** Its CPU share (config `cpu`), held from "ready" on. */
  readonly cpu: CpuLimit;
  /** What the watchdog measured when it stopped the instance for memory. */
  private oomRssMb: number | undefined;
  /** Resolves once the instance's stdout and stderr have ended (all its output was read). */
  outputEnded: Promise<void> = Promise.resolve();

  constructor(
    artifactPath: string,
    functionName: string,
    private readonly config: LocalConfig,
    private readonly events: InstanceEvents,
    private readonly log: InstanceLog,
  ) {
    const env = instanceEnv(functionName, config);
    this.cpu = new CpuLimit(cpuShare(config), this.containment.cgroup, `instance-${this.number}`);
    this.launch = () => {
      this.starts += 1;
      const child = startProcess(artifactPath, [`--max-old-space-size=${config.memory}`], env);
      if (child.pid) {
        this.containment.adopt(child.pid);
        this.cpu.attach(child.pid);
        guardGroup(child.pid, true);
      }
      this.outputEnded = Promise.all([child.stdout, child.stderr].map(ended)).then(() => undefined);
      child.stdout?.on("data", (chunk: Buffer) => log.write(chunk));
      child.stderr?.on("data", (chunk: Buffer) => {
        log.write(chunk);
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

  /** Requests running inside it (sent, not yet answered). */
  get running(): number {
    return this.inFlight.size;
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

  kill(reason: ExitReason, rssMb?: number): void {
    if (!this.alive) return;
    if (reason === "oom" && this.exitReason === null) this.oomRssMb = rssMb;
    // The process stays `alive` until its exit event; it must take no new request meanwhile, or that
    // request fails with this instance (e.g. the call right after a timeout got "InstanceKilled").
    this.retiring = true;
    this.exitReason ??= reason;
    // Keep the caller alive until the exit is observed, so shutdown() can await it.
    this.setReferenced(true);
    this.containment.killAll(this.child.pid);
    this.child.kill("SIGKILL");
  }

  /** Synchronous kill of the instance and all it started (the parent's exit handler). */
  killNow(): void {
    this.containment.killAll(this.child.pid);
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
      this.cpu.engage();
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
    request.settle(success(body));
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
    const message = timeoutMessage(request.limit, this.config.timeout);
    request.settle(failure("TimeoutError", message, true, 504));
    this.log.note(`instance ${this.number} (pid ${this.pid}) stopped: request ${id}: ${message}`);
    this.kill("timeout");
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const exited = this.child;
    // Whatever it started dies with it, however it ended (a crash, a kill, process.exit()).
    this.containment.killAll(exited.pid);
    if (exited.pid) guardGroup(exited.pid, false);
    if (!this.ready && this.exitReason === null && startAgain(signal, this.starts)) {
      this.child = this.launch();
      this.setReferenced(this.assigned > 0);
      return;
    }
    this.alive = false;
    this.cpu.release();
    liveInstances.delete(this);
    for (const timer of this.timers.values()) clearTimeout(timer);
    const reason = this.exitReason ?? (/heap out of memory/i.test(this.stderrTail) ? "oom" : "crash");
    const facts = { code, signal, stderrTail: this.stderrTail, memoryMb: this.config.memory };
    const [errorType, message] = describeExit({ ...facts, reason, rssMb: this.oomRssMb });
    const requests = [...this.inFlight.values(), ...this.waiting];
    for (const request of requests) {
      const note = reason === "oom" ? payloadNote(request.payload, this.config.memory) : "";
      request.settle(failure(errorType, message + note, false, 502));
    }
    // Every stop is written down, also that of an idle instance whose stop no request reports.
    const name = `instance ${this.number} (pid ${exited.pid})`;
    this.log.note(exitLine(name, { ...facts, reason, rssMb: this.oomRssMb }, requests.length, errorType));
    // Its last output is still read to the end (the pipes keep this process alive until then; they
    // close at once, as containment killed whatever inherited them), then nothing of it is held.
    this.setReferenced(false);
    const pipes = [exited.stdout, exited.stderr] as (
      | (NodeJS.ReadableStream & { ref?(): void; destroy(): void })
      | null
    )[];
    for (const pipe of pipes) pipe?.ref?.();
    // A process that escaped containment (no cgroup, setsid) may hold them open: not for long.
    setTimeout(() => pipes.forEach((pipe) => pipe?.destroy()), OUTPUT_GRACE_MS).unref();
    this.containment.release();
    this.inFlight.clear();
    this.waiting.length = 0;
    this.events.onExit(this);
  }

  /** A busy instance keeps the caller's process alive; an idle one must not. */
  private setReferenced(on: boolean): void {
    // The same moments tell the CPU limit whether requests run.
    this.cpu.setBusy(on);
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

/** Resolves when a pipe has ended or closed (or at once when there is none). */
function ended(stream: NodeJS.ReadableStream | null): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
  });
}
