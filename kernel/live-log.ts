/**
 * The lines of a long operation (a deploy: bundling, installing, starting) streamed into the cell
 * while it runs: one output per operation, updated in place at most 10 times per second, showing
 * the title, the time since it began and the last lines. The last line (e.g. "deployed" or
 * "failed: …") is always rendered, by the throttle's trailing update.
 */
import { escapeHtml, formatDuration } from "./render/html";
import { DEFAULT_INTERVAL_MS, Throttle, systemClock, type Clock } from "./throttle";
import { newDisplayId, sendMimeBundle } from "./tslab";

export const LOG_LINES_SHOWN = 12;

export interface LogState {
  title: string;
  lines: { atMs: number; text: string }[];
  /** Lines dropped from the top (only the last LOG_LINES_SHOWN are kept). */
  hidden: number;
}

export function renderLog(state: LogState): string {
  const more = state.hidden > 0 ? `<div style="color:#888">… ${state.hidden} earlier lines</div>` : "";
  const lines = state.lines
    .map(
      (l) =>
        `<div><span style="color:#888">${escapeHtml(formatDuration(l.atMs).padStart(7))}</span>  ${escapeHtml(l.text)}</div>`,
    )
    .join("");
  return (
    `<div class="faaslab faaslab-log" style="font-size:12px;margin:2px 0">` +
    `<div style="font-weight:600">${escapeHtml(state.title)}</div>` +
    `<div style="font-family:monospace;white-space:pre-wrap;color:#333;border-left:3px solid #ddd;padding-left:8px">${more}${lines}</div></div>`
  );
}

export function logText(state: LogState): string {
  return [state.title, ...state.lines.map((l) => `  ${l.text}`)].join("\n");
}

export interface LiveLogOptions {
  send?: (data: Record<string, unknown>, displayId: string, update: boolean) => boolean;
  clock?: Clock;
  newId?: () => string;
}

/** Opens one live log output; returns the sink for its lines. */
export function openLiveLog(title: string, options: LiveLogOptions = {}): (line: string) => void {
  const send = options.send ?? sendMimeBundle;
  const clock = options.clock ?? systemClock;
  const id = (options.newId ?? newDisplayId)();
  const started = clock.now();
  const state: LogState = { title, lines: [], hidden: 0 };
  let created = false;
  const throttle = new Throttle<LogState>(
    (s) => {
      if (send({ "text/html": renderLog(s), "text/plain": logText(s) }, id, created)) created = true;
    },
    DEFAULT_INTERVAL_MS,
    clock,
  );
  return (line: string) => {
    state.lines.push({ atMs: clock.now() - started, text: line });
    if (state.lines.length > LOG_LINES_SHOWN) {
      state.lines.shift();
      state.hidden += 1;
    }
    throttle.push(state);
  };
}
