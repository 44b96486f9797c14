import type { IncomingHttpHeaders } from "node:http";
import type { RawInvocation } from "../../lib/platform";
import { isEnvelope } from "../../lib/invocation-results";
import { serverTimingRuntimeMs } from "./server-timing";

/** The headers faaslab's own `serve` sets (and any service may): the instance, and whether it was cold. */
export const INSTANCE_HEADER = "x-faaslab-instance-id";
export const COLD_START_HEADER = "x-faaslab-cold-start";

/** Where this function's answers name their instance (from its config). */
export interface InstanceSource {
  field: string | null;
  header: string | null;
}

type Answer = { status: number; statusText: string; headers: IncomingHttpHeaders; body: Buffer };
type Base = Omit<RawInvocation, "attempts" | "finalAttemptAt" | "retryDelayMs">;

/** How much of a failed answer's body goes into errorMessage. */
const BODY_START = 300;

/**
 * An HTTP answer → RawInvocation (before coldStart from sightings, which the platform adds). A faaslab
 * envelope is used as it is; any other 2xx body is the result (parsed JSON, else text), with the
 * instance id from the configured field or header and the runtime from Server-Timing (else null).
 * A non-2xx answer is a failure carrying its status and the start of its body.
 */
export function answerToRaw(answer: Answer, source: InstanceSource): Base {
  const text = answer.body.toString("utf8");
  const parsed = parseJson(text, answer.headers["content-type"]);
  const base = {
    statusCode: answer.status,
    responseBytes: answer.body.byteLength,
    billedMs: null,
    initMs: null,
    maxMemoryUsedMb: null,
    runtimeMs: serverTimingRuntimeMs(answer.headers["server-timing"]),
    instanceId: instanceIdOf(parsed, answer.headers, source),
    coldStart: coldStartHeader(answer.headers),
  };
  const ok = answer.status >= 200 && answer.status < 300;
  if (ok && isEnvelope(parsed)) return { ...base, envelope: parsed, failure: null };
  if (ok) return { ...base, envelope: null, failure: null, result: parsed === NOT_JSON ? text : parsed };
  return { ...base, envelope: null, failure: statusFailure(answer, parsed, text) };
}

const NOT_JSON = Symbol("not JSON");

function parseJson(text: string, contentType: string | undefined): unknown {
  const looksJson = contentType?.includes("json") || /^\s*[[{"\d-]|^\s*(true|false|null)\s*$/.test(text);
  if (!looksJson || text === "") return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function instanceIdOf(parsed: unknown, headers: IncomingHttpHeaders, source: InstanceSource): string | null {
  if (source.field !== null) return scalarText(fieldAt(parsed, source.field));
  const header = headers[source.header ?? INSTANCE_HEADER];
  return scalarText(Array.isArray(header) ? header[0] : header);
}

/** `a.b.c` inside a parsed JSON answer; undefined when any step is missing. */
function fieldAt(value: unknown, path: string): unknown {
  let at = value;
  for (const step of path.split(".")) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

function scalarText(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function coldStartHeader(headers: IncomingHttpHeaders): boolean | null {
  const value = headers[COLD_START_HEADER];
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  return null;
}

/**
 * A non-2xx answer: 429 is Throttled and 504/408 TimeoutError (the names other platforms use); an
 * error body `{ errorType, errorMessage }` (as `serve` sends) keeps its names; else `HTTP <status>`.
 */
function statusFailure(answer: Answer, parsed: unknown, text: string): NonNullable<RawInvocation["failure"]> {
  const start = text.length > BODY_START ? `${text.slice(0, BODY_START)}…` : text;
  const said = `${answer.status} ${answer.statusText}`.trim();
  const remote = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const timedOut = answer.status === 504 || answer.status === 408;
  const errorType =
    typeof remote.errorType === "string"
      ? remote.errorType
      : answer.status === 429
        ? "Throttled"
        : timedOut
          ? "TimeoutError"
          : `HTTP ${answer.status}`;
  const errorMessage =
    typeof remote.errorMessage === "string" ? remote.errorMessage : start ? `${said}: ${start}` : said;
  return { errorType, errorMessage, timedOut };
}
