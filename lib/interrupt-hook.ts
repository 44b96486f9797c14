/**
 * Where long operations get their AbortSignal when the caller passes none: inside a notebook the
 * kernel glue provides one aborted by Kernel → Interrupt (tslab alone would let the work run on).
 */
let provider: (() => AbortSignal) | null = null;

export function setDefaultSignal(fn: (() => AbortSignal) | null): void {
  provider = fn;
}

export function defaultSignal(): AbortSignal | undefined {
  return provider?.() ?? undefined;
}
