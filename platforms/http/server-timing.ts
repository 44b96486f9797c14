/**
 * The `Server-Timing` response header (W3C Server Timing): `metric;dur=12.3;desc="app", total;dur=20`.
 * Several headers arrive joined by ", " (node:http does that), so one parser covers both.
 */
export interface ServerTimingMetric {
  name: string;
  /** Milliseconds; null when the metric has no (valid) dur parameter. */
  durMs: number | null;
  description: string | null;
}

/** Every metric in the header, in order; malformed entries are skipped, never guessed at. */
export function parseServerTiming(header: string | string[] | undefined): ServerTimingMetric[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(", ") : header;
  return splitOutsideQuotes(text, ",")
    .map(parseMetric)
    .filter((m): m is ServerTimingMetric => m !== null);
}

/**
 * The in-function time a header reports: the `total` metric's dur, else `app`'s, else the dur of the
 * only metric that has one; null otherwise (several unnamed phases may overlap, so they are not added).
 */
export function serverTimingRuntimeMs(header: string | string[] | undefined): number | null {
  const metrics = parseServerTiming(header).filter((m) => m.durMs !== null);
  const named = (name: string) => metrics.find((m) => m.name.toLowerCase() === name);
  const chosen = named("total") ?? named("app") ?? (metrics.length === 1 ? metrics[0] : undefined);
  return chosen?.durMs ?? null;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseMetric(entry: string): ServerTimingMetric | null {
  const [rawName, ...params] = splitOutsideQuotes(entry, ";");
  const name = rawName.trim();
  if (!TOKEN.test(name)) return null;
  let durMs: number | null = null;
  let description: string | null = null;
  for (const param of params) {
    const eq = param.indexOf("=");
    const key = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "" : unquote(param.slice(eq + 1).trim());
    // The spec: only the first occurrence of a parameter counts.
    if (key === "dur" && durMs === null) {
      const n = Number(value);
      durMs = value !== "" && Number.isFinite(n) && n >= 0 ? n : null;
    } else if (key === "desc" && description === null) description = value;
  }
  return { name, durMs, description };
}

function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, "$1");
}

/** Splits on `separator` except inside a quoted string (where `\"` escapes a quote). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === "\\" && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== "");
}
