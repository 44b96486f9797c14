/**
 * The progress line of a running experiment as HTML (a <progress> bar and plain text, no script, so
 * the last state stays readable in a saved notebook) and as text/plain.
 */
import type { ExperimentProgress } from "../../lib/experiment/progress";
import { escapeHtml, formatDuration } from "./html";

function counts(p: ExperimentProgress): string {
  return p.total > 0 ? `${p.done}/${p.total}` : `${p.done}`;
}

/** A map's progress also says how many elements its finished chunks covered. */
function elements(p: ExperimentProgress): string | null {
  const e = (p as { elements?: { done: number; total: number } }).elements;
  return e ? `${e.done.toLocaleString("en-US")}/${e.total.toLocaleString("en-US")} elements` : null;
}

/** "80/80 done · 2 failed · 4 in flight · 3.2 s elapsed · ETA 1.1 s" (parts that say nothing are left out). */
export function progressText(p: ExperimentProgress): string {
  const parts = [`${counts(p)} done`];
  const covered = elements(p);
  if (covered) parts.push(covered);
  if (p.failed > 0) parts.push(`${p.failed} failed`);
  if (!p.finished && p.inFlight > 0) parts.push(`${p.inFlight} in flight`);
  parts.push(p.finished ? `took ${formatDuration(p.elapsedMs)}` : `${formatDuration(p.elapsedMs)} elapsed`);
  if (!p.finished && p.etaMs !== null) parts.push(`ETA ${formatDuration(p.etaMs)}`);
  if (!p.finished && p.observingLeftMs !== undefined) parts.push(observingText(p.observingLeftMs));
  const state = p.finished ? (p.total > 0 && p.done < p.total ? "stopped" : "finished") : "running";
  return `${p.experiment} (${p.functionName}): ${state}, ${parts.join(" · ")}`;
}

/** After the last request, while the instance timeline is still recorded (observeAfterS). */
function observingText(leftMs: number): string {
  return `observing instances, ${formatDuration(leftMs)} left`;
}

function bar(p: ExperimentProgress): string {
  const style = "width:220px;height:14px;vertical-align:middle;margin-right:8px";
  if (p.total > 0) return `<progress value="${p.done}" max="${p.total}" style="${style}"></progress>`;
  // Open loop: the total is not known in advance (indeterminate bar until it ends).
  return p.finished
    ? `<progress value="1" max="1" style="${style}"></progress>`
    : `<progress style="${style}"></progress>`;
}

export function renderProgress(p: ExperimentProgress): string {
  const stopped = p.finished && p.total > 0 && p.done < p.total;
  const mark = p.finished ? (stopped ? "■ " : "✓ ") : "";
  const colour = p.failed > 0 || stopped ? "#b35900" : p.finished ? "#1a7f37" : "inherit";
  const failed = p.failed > 0 ? ` · <span style="color:#d1242f">${p.failed} failed</span>` : "";
  const rest: string[] = [];
  const covered = elements(p);
  if (covered) rest.push(covered);
  if (!p.finished && p.inFlight > 0) rest.push(`${p.inFlight} in flight`);
  rest.push(p.finished ? `took ${formatDuration(p.elapsedMs)}` : `${formatDuration(p.elapsedMs)} elapsed`);
  if (!p.finished && p.etaMs !== null) rest.push(`ETA ${formatDuration(p.etaMs)}`);
  if (!p.finished && p.observingLeftMs !== undefined) rest.push(observingText(p.observingLeftMs));
  return (
    `<div class="faaslab faaslab-progress" style="font-size:12px;margin:2px 0">${bar(p)}` +
    `<span style="color:${colour}">${mark}<b>${escapeHtml(p.experiment)}</b></span> ` +
    `<span style="color:#666">${escapeHtml(p.functionName)}</span> · ` +
    `${counts(p)} done${failed} · ${escapeHtml(rest.join(" · "))}</div>`
  );
}
