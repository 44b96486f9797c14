/**
 * A tiny registry between lib/ and the notebook glue (kernel/): lib never imports tslab, the kernel
 * registers how to show a value richly. Outside a notebook nothing is registered and every call is a
 * no-op that returns false.
 */

/** Shows `value` richly (e.g. as HTML in the current cell); returns false when it has no rich form. */
export type ValueDisplay = (value: unknown) => boolean;

let valueDisplay: ValueDisplay | null = null;

/** Registers (or with null, removes) the rich display; kernel/notebook.ts install() calls it. */
export function setValueDisplay(fn: ValueDisplay | null): void {
  valueDisplay = fn;
}

/**
 * Shows `value` through the registered display. Returns true when it was shown, false when no display
 * is registered, the value has no rich form, or the display failed (a display never throws: it is
 * called from util.inspect.custom methods, where an exception would hide the value).
 */
export function displayValue(value: unknown): boolean {
  if (valueDisplay === null) return false;
  try {
    return valueDisplay(value);
  } catch {
    return false;
  }
}

/** In a notebook: the rich form of `value` (HTML table, figure …); elsewhere: console.log(value). */
export function display(value: unknown): void {
  if (!displayValue(value)) console.log(value);
}
