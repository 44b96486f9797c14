/**
 * Kernel interrupts as AbortSignals. Jupyter interrupts a kernel with SIGINT (kernel.json has no
 * interrupt_mode, so "signal"; jupyter_client sends it to the kernel's whole process group). tslab
 * 1.0.22 listens with `process.on("SIGINT", () => executor.interrupt())` (dist/main.js): that only
 * rejects the race the cell is awaited in (dist/executor.js), the awaited promise keeps running. A
 * second SIGINT listener is therefore safe (tslab's own listener already replaced Node's default
 * exit) and is how faaslab learns of the interrupt: every signal handed out before it is aborted.
 */
import { inTslab } from "./tslab";

let controller: AbortController | null = null;
let listening = false;
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

/** Listens for kernel interrupts (inside tslab only; a plain script keeps Node's Ctrl-C exit). */
export function listenForInterrupts(): boolean {
  if (listening) return true;
  if (!inTslab()) return false;
  process.on("SIGINT", onSigint);
  listening = true;
  return true;
}

/** Stops listening; signals already handed out stay as they are. */
export function stopListeningForInterrupts(): void {
  if (!listening) return;
  process.off("SIGINT", onSigint);
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
