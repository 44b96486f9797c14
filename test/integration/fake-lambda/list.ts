import { configurationOf } from "./configuration";
import { invalidParameter, LambdaError } from "./errors";
import type { StoredFunction } from "./store";

/** Lambda answers at most 50 functions per page, whatever MaxItems asks for. */
export const LIST_PAGE_LIMIT = 50;

/** Fields ListFunctions leaves out of each configuration (only GetFunction reports them). */
const NOT_LISTED = [
  "State",
  "StateReason",
  "StateReasonCode",
  "LastUpdateStatus",
  "LastUpdateStatusReason",
  "LastUpdateStatusReasonCode",
];

/**
 * ListFunctions: configurations in name order, one page of at most min(MaxItems, 50); `NextMarker`
 * (an opaque token here: the base64 of the next name) is present only when more follow.
 */
export function listFunctions(functions: StoredFunction[], query: URLSearchParams): Record<string, unknown> {
  const limit = Math.min(maxItems(query.get("MaxItems")), LIST_PAGE_LIMIT);
  const sorted = [...functions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const marker = query.get("Marker");
  let start = 0;
  if (marker !== null) {
    const from = Buffer.from(marker, "base64url").toString("utf8");
    if (marker === "" || from === "") throw invalidParameter(`Invalid marker: ${marker}`);
    start = sorted.findIndex((fn) => fn.name >= from);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + limit);
  const next = sorted[start + limit];
  const listed = page.map((fn) => {
    const configuration = configurationOf(fn);
    for (const key of NOT_LISTED) delete configuration[key];
    return configuration;
  });
  return {
    Functions: listed,
    ...(next ? { NextMarker: Buffer.from(next.name, "utf8").toString("base64url") } : {}),
  };
}

function maxItems(raw: string | null): number {
  if (raw === null) return LIST_PAGE_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw new LambdaError(
      400,
      "ValidationException",
      `1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`,
    );
  }
  return n;
}
