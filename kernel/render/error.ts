/**
 * HTML for faaslab's errors: what failed and the hint, never the local stack. A FunctionError also
 * shows the remote error type and message, and the remote stack folded in a <details>.
 */
import { ConfigError, FaasLabError, FunctionError } from "../../lib/errors";
import { escapeHtml } from "./html";

export function isFaasLabError(value: unknown): value is FaasLabError {
  return value instanceof FaasLabError;
}

/** The message without the " Hint: …" the constructor appended (the hint gets its own line). */
export function messageWithoutHint(error: FaasLabError): string {
  const suffix = error.hint ? ` Hint: ${error.hint}` : "";
  return suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}

function causeLine(cause: unknown): string {
  if (cause === undefined || cause === null) return "";
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return `<div style="color:#666;font-size:12px;margin-top:2px">caused by ${escapeHtml(text)}</div>`;
}

function problemsList(error: FaasLabError): string {
  if (!(error instanceof ConfigError) || error.problems.length < 2) return "";
  const items = error.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("");
  return `<ul style="margin:4px 0;padding-left:20px">${items}</ul>`;
}

function remoteDetails(error: FaasLabError): string {
  if (!(error instanceof FunctionError)) return "";
  const remote =
    `<div style="margin-top:4px"><span style="font-family:monospace;font-weight:600">${escapeHtml(error.errorType)}</span>` +
    `: ${escapeHtml(error.remoteMessage)}</div>`;
  if (!error.remoteStack) return remote;
  return (
    remote +
    `<details style="margin-top:4px"><summary style="cursor:pointer;color:#666">remote stack</summary>` +
    `<pre style="font-size:11px;margin:4px 0;white-space:pre-wrap">${escapeHtml(error.remoteStack)}</pre></details>`
  );
}

export function renderError(error: FaasLabError): string {
  const where = [error.platform, error.phase, error.code].filter(Boolean).join(" · ");
  const hint = error.hint ? `<div style="margin-top:4px"><b>Hint:</b> ${escapeHtml(error.hint)}</div>` : "";
  return (
    `<div class="faaslab faaslab-error" style="border-left:4px solid #d1242f;background:#fff5f5;padding:6px 10px;margin:4px 0">` +
    `<div><b style="color:#d1242f">${escapeHtml(error.name)}</b> <span style="color:#666;font-size:12px">${escapeHtml(where)}</span></div>` +
    `<div style="margin-top:2px">${escapeHtml(messageWithoutHint(error))}</div>` +
    problemsList(error) +
    hint +
    remoteDetails(error) +
    causeLine(error.cause) +
    `</div>`
  );
}

/** text/plain: message and hint, no stack (the same line util.inspect gives). */
export function errorText(error: FaasLabError): string {
  return `${error.name}: ${error.message}`;
}
