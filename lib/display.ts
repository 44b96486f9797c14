/**
 * A tiny registry between lib/ and the notebook glue (kernel/): lib never imports tslab, the kernel
 * registers how to show values richly and how to stream a log into the cell. Outside a notebook
 * nothing is registered: displayValue() returns false and openLogDisplay() undefined.
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

/** Opens a live log in the notebook (one output, updated in place); returns a line sink. */
export type LogDisplay = (title: string) => (line: string) => void;

let logDisplay: LogDisplay | null = null;

/** Registers (or with null, removes) the live log; kernel/notebook.ts install() calls it. */
export function setLogDisplay(fn: LogDisplay | null): void {
  logDisplay = fn;
}

/**
 * A sink for the lines of one long operation (a deploy, a build) that shows them in the current
 * cell while it runs, or undefined outside a notebook — shaped for fileLogger(dir, file, echo).
 */
export function openLogDisplay(title: string): ((line: string) => void) | undefined {
  if (logDisplay === null) return undefined;
  try {
    const sink = logDisplay(title);
    return (line: string) => {
      try {
        sink(line);
      } catch {
        // the log file is what matters; a display problem never fails the operation
      }
    };
  } catch {
    return undefined;
  }
}
