/**
 * HTML building blocks shared by the renderers: escaping, number formatting and tables. Plain HTML
 * with inline styles only (no <script>, no <style>), so a saved notebook shows the same thing in
 * Notebook, JupyterLab, VS Code, nbconvert and GitHub's preview.
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** What a table shows for a missing value (null/undefined: never "0", never "null"). */
export const MISSING = "—";

/**
 * A number as a table shows it: integers exactly, other values with about 4 significant digits
 * (123.5, 12.35, 1.235, 0.0123), tiny ones in exponent form; null/undefined as —.
 */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return MISSING;
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return x.toFixed(0);
  if (abs >= 100) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  if (abs >= 0.001) return String(Number(x.toPrecision(3)));
  return x.toExponential(2);
}

/** A fraction as a percentage ("12.5%", with `signed` "+12.5%"), or —. */
export function formatPercent(fraction: number | null | undefined, signed = false): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  const pct = fraction * 100;
  const text = `${Math.abs(pct) < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
  return signed && pct > 0 ? `+${text}` : text;
}

/** Milliseconds as "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const min = Math.floor(s / 60);
  return `${min} min ${String(Math.floor(s - min * 60)).padStart(2, "0")} s`;
}

/** Any cell value as table text: numbers formatted, booleans/strings as they are, objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** HTML that is already escaped (built by the caller), to put in a table cell as it is. */
export class RawHtml {
  constructor(readonly html: string) {}
}

export function rawHtml(html: string): RawHtml {
  return new RawHtml(html);
}

/** A table cell: RawHtml, or any value, which is formatted and escaped. */
export type Cell = unknown;

/** Text aligned like numbers: —, "12.5%", "< 0.001", "11.2 – 17.8", "30 vs 30", "4.2 /s". */
const NUMERIC_TEXT =
  /^(—|[-−+<>=]?\s?[\d.,e+−-]+(%| \/s| ms| s)?(\s(–|vs)\s[-−]?[\d.,e+−-]+)?( \([^)]*\))?)$/;

function cellHtml(cell: Cell): { html: string; numeric: boolean } {
  if (cell instanceof RawHtml) return { html: cell.html, numeric: false };
  const text = formatValue(cell);
  return { html: escapeHtml(text), numeric: typeof cell === "number" || NUMERIC_TEXT.test(text) };
}

const TABLE_STYLE = "border-collapse:collapse;font-size:12px;margin:4px 0";
const LEFT = ' style="text-align:left"';

/**
 * A table. Jupyter's own CSS (Notebook, JupyterLab, VS Code, nbconvert) pads cells and right-aligns
 * them, so only text cells carry a style (left-aligned): a 20 × 40 frame stays small in the notebook.
 * The first column is a header when `rowHeaders`.
 */
export function table(headers: string[], rows: Cell[][], options: { rowHeaders?: boolean } = {}): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const { html, numeric } = cellHtml(cell);
        if (i === 0 && options.rowHeaders) return `<th${LEFT}>${html}</th>`;
        return `<td${numeric ? "" : LEFT}>${html}</td>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("");
  return `<table class="faaslab-table" style="${TABLE_STYLE}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A titled block around rendered parts. */
export function section(title: string, body: string): string {
  return `<div class="faaslab" style="margin:4px 0"><div style="font-weight:600;margin:2px 0">${escapeHtml(title)}</div>${body}</div>`;
}

/** A small grey line under a title. */
export function note(text: string): string {
  return `<div style="color:#666;font-size:12px;margin:2px 0">${escapeHtml(text)}</div>`;
}

/** A bulleted list of warnings (escaped), or "" when there are none. */
export function warningList(warnings: readonly string[]): string {
  if (warnings.length === 0) return "";
  const items = warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  return `<ul style="color:#8a5a00;font-size:12px;margin:4px 0;padding-left:20px">${items}</ul>`;
}
