/**
 * Rich display of a cell's value. tslab has no execute_result: its compiled cell stores the last
 * expression in `exports.tsLastExpr` (tsLastExpr0, 1 … when the name is taken), and after the cell
 * the executor prints it with console.log (dist/converter.js createLastExprVar, dist/executor.js
 * execute). Cells receive `exports` from `globalThis.__tslab__.exports` each time they run, so
 * wrapping that object in a Proxy sees the value being stored: when it has a rich form, it is shown
 * and not stored, and tslab prints nothing. Every other property passes through untouched.
 */

const LAST_EXPRESSION = /^tsLastExpr\d*$/;
const WRAPPED = Symbol.for("faaslab.kernel.cellValueProxy");

/** Shows a value richly; false when it has no rich form (tslab then prints it as usual). */
export type CellValueDisplay = (value: unknown) => boolean;

interface TslabGlobal {
  exports: object;
}

function tslabGlobal(): TslabGlobal | null {
  const g = (globalThis as { __tslab__?: unknown }).__tslab__;
  if (typeof g !== "object" || g === null) return null;
  const exports = (g as { exports?: unknown }).exports;
  return typeof exports === "object" && exports !== null ? (g as TslabGlobal) : null;
}

function valueOf(attributes: PropertyDescriptor): unknown {
  if ("value" in attributes) return attributes.value;
  try {
    return attributes.get?.();
  } catch {
    return undefined;
  }
}

/** The Proxy around tslab's exports; exported for tests (with a plain object as `exports`). */
export function wrapExports<T extends object>(exports: T, show: CellValueDisplay): T {
  return new Proxy(exports, {
    defineProperty(target, property, attributes) {
      if (typeof property === "string" && LAST_EXPRESSION.test(property)) {
        const value = valueOf(attributes);
        let shown = false;
        try {
          shown = value !== null && value !== undefined && show(value);
        } catch {
          shown = false; // fall back to tslab's console.log
        }
        if (shown) {
          Reflect.deleteProperty(target, property);
          return true;
        }
      }
      return Reflect.defineProperty(target, property, attributes);
    },
    get(target, property, receiver) {
      if (property === WRAPPED) return true;
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * Routes the values of the cells run from now on through `show` (idempotent). False outside tslab.
 * The cell running right now still prints its value with console.log (it already holds `exports`).
 */
export function interceptCellValues(show: CellValueDisplay): boolean {
  const g = tslabGlobal();
  if (g === null) return false;
  if ((g.exports as Record<symbol, unknown>)[WRAPPED] === true) return true;
  g.exports = wrapExports(g.exports, show);
  return true;
}
