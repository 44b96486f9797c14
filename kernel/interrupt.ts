/**
 * Kernel interrupts as AbortSignals. Jupyter interrupts a kernel with SIGINT (kernel.json has no
 * interrupt_mode, so "signal"; jupyter_client sends it to the kernel's whole process group). tslab
 * 1.0.22 listens with `process.on("SIGINT", () => executor.interrupt())` (dist/main.js): that only
 * rejects the race the cell is awaited in (dist/executor.js), the awaited promise keeps running. A
 * second SIGINT listener is therefore safe (tslab's own listener already replaced Node's default
 * exit), provided it is added outside a cell's synchronous part (see listenForInterrupts), and is how
 * faaslab learns of the interrupt: every signal handed out before it is aborted.
 */
import { inTslab } from "./tslab";

let controller: AbortController | null = null;
let listening = false;
/** The listener's registration, while it waits for the end of the cell's synchronous part. */
let registration: NodeJS.Immediate | null = null;
const listeners = new Set<() => void>();

function interruptError(): Error {
  return new DOMException("interrupted by the kernel (Kernel > Interrupt)", "AbortError");
}

function onSigint(): void {
  const current = controller;
  controller = null; // signals handed out from now on belong to the next interrupt
  current?.abort(interruptError());
  for (const fn of [...listeners]) {
    try {
      fn();
    } catch {
      // one failing listener does not stop the others
    }
  }
}

/**
 * Listens for kernel interrupts (inside tslab only; a plain script keeps Node's Ctrl-C exit), from the
 * next turn of the event loop on. tslab runs a cell's synchronous part with vm's `breakOnSigint`, which
 * takes the SIGINT listeners off while it runs and puts them back after; a SIGINT listener added during
 * that time (as importing faaslab in a cell did) leaves Node's default action armed when it ends (Node
 * 20: the next SIGINT ends the process, listeners or not) until another cell runs. An interrupt then
 * killed the kernel, and every instance with it. So the listener is added after the synchronous part.
 */
export function listenForInterrupts(): boolean {
  if (listening) return true;
  if (!inTslab()) return false;
  listening = true;
  registration = setImmediate(() => {
    registration = null;
    process.on("SIGINT", onSigint);
  });
  return true;
}

/** Stops listening; signals already handed out stay as they are. */
export function stopListeningForInterrupts(): void {
  if (!listening) return;
  if (registration) clearImmediate(registration);
  else process.off("SIGINT", onSigint);
  registration = null;
  listening = false;
}

/**
 * An AbortSignal that is aborted by the next kernel interrupt (Kernel > Interrupt, ■ or "i i").
 * Pass it to long operations: `await experiment(fn, { ..., signal: notebookSignal() })` stops
 * cleanly and returns what was done. Outside a notebook the signal never aborts.
 */
export function notebookSignal(): AbortSignal {
  if (!listenForInterrupts()) return new AbortController().signal;
  controller ??= new AbortController();
  return controller.signal;
}

/** Calls `fn` on every kernel interrupt until the returned function is called. */
export function onInterrupt(fn: () => void): () => void {
  listenForInterrupts();
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** For tests: behave as if the kernel was interrupted. */
export function simulateInterrupt(): void {
  onSigint();
}
