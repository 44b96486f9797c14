import { spawn, type ChildProcess } from "node:child_process";
import { gatedFunction, type StartGate } from "./start-gate";
import { compiledLib } from "./workspace";

export type Message = Record<string, unknown>;

/**
 * A stand-in for a tslab kernel in its own process (`node -e`), for what Jupyter does to kernels:
 * started as the leader of its own process group (Jupyter's start_new_session), with a SIGINT
 * listener (tslab's, which keeps an interrupt from ending the kernel). It deploys `name` with the
 * gate's environment, invokes it once, and reports on stdout, one JSON object a line:
 * `{ interrupted: n }` for each SIGINT, `{ record }` when the invocation ends, `{ shutdown: true }`.
 * Commands on stdin: "shutdown" (lib's shutdown()), "exit" (process.exit(0) without shutdown()).
 */
export function kernelScript(name: string, gate: StartGate): string {
  const options = { config: { maxInstances: 1, timeout: 60, environment: gate.environment } };
  return `
    const lib = require(${JSON.stringify(compiledLib())});
    const say = (message) => console.log(JSON.stringify(message));
    let interrupts = 0;
    process.on("SIGINT", () => say({ interrupted: ++interrupts }));
    const fn = lib.cloudFunction(${JSON.stringify(name)}, ${gatedFunction.toString()}, ${JSON.stringify(options)});
    fn.invoke({ gate: ${JSON.stringify(gate.dir)} }).then((r) => say({
      record: { failed: r.failed, errorType: r.errorType, errorMessage: r.errorMessage, result: r.result },
    }));
    require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
      if (line === "shutdown") lib.shutdown().then(() => say({ shutdown: true }));
      if (line === "exit") process.exit(0);
    });`;
}

/** The kernel process: its messages, its commands, and signals to its process group. */
export class FakeKernel {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly messages: Message[] = [];
  private readonly wake = new Set<() => void>();
  private ended = false;
  private stdout = "";
  private stderr = "";

  constructor(script: string, env: NodeJS.ProcessEnv, cwd: string) {
    this.child = spawn(process.execPath, ["-e", script], {
      env,
      cwd,
      detached: true, // its own process group, as Jupyter starts a kernel
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.stdout?.on("data", (chunk: Buffer) => this.read(chunk.toString()));
    // No message can come after its stdout closed (its exit may be seen before the last line is read).
    this.child.stdout?.on("close", () => {
      this.ended = true;
      this.notify();
    });
    this.exited = new Promise((resolve) =>
      this.child.once("exit", (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The first message that `matches`, waiting for it at most `timeoutMs`. */
  message(matches: (m: Message) => boolean, timeoutMs: number): Promise<Message> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(matches);
        if (!found && !this.ended) return;
        clearTimeout(timer);
        this.wake.delete(check);
        if (found) resolve(found);
        else reject(new Error(`the kernel exited without that message; ${this.transcript()}`));
      };
      const timer = setTimeout(() => {
        this.wake.delete(check);
        reject(new Error(`no such message within ${timeoutMs} ms; ${this.transcript()}`));
      }, timeoutMs);
      this.wake.add(check);
      check();
    });
  }

  command(line: "shutdown" | "exit"): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Sends `signal` to the kernel's whole process group, as Jupyter does (interrupt: SIGINT, kill: SIGKILL). */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  /** Kills what is left of the kernel's process group and waits for the kernel's exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        this.signalGroup("SIGKILL");
      } catch {
        // the group is gone already
      }
    }
    await this.exited;
  }

  private read(text: string): void {
    this.stdout += text;
    const lines = this.stdout.split("\n");
    this.stdout = lines.pop() ?? "";
    for (const line of lines) {
      try {
        this.messages.push(JSON.parse(line) as Message);
      } catch {
        // not a message
      }
    }
    this.notify();
  }

  private notify(): void {
    for (const check of [...this.wake]) check();
  }

  private transcript(): string {
    return `messages: ${JSON.stringify(this.messages)}; stderr: ${this.stderr.slice(-2000)}`;
  }
}
