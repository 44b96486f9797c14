import { closestName } from "../config/schema";
import { ConfigError } from "../errors";
import { experimentNameProblem } from "../experiment/store/names";

/** map(fn, elements, options): how to cut the input into chunks and run them. */
export interface MapOptions {
  /** Chunks = min(workers, elements), as even as possible; also the most invocations in flight (default 10). */
  workers?: number;
  /** Elements per chunk instead of `workers` (the last chunk may be smaller); in flight: `workers`, else all chunks. */
  chunkSize?: number;
  /** Bytes of JSON a chunk may have; default and ceiling: the platform's request limit (see README, map). */
  maxChunkBytes?: number;
  /** Fresh invocations for a failed chunk before it counts as failed (default 2). */
  retries?: number;
  /** "fail" (default): reject with a MapError once every chunk ran; "skip": resolve, holes undefined. */
  onChunkError?: "fail" | "skip";
  /** Folder under functions/<fn>/experiments/ (default map-<date>-<time>). */
  name?: string;
  /** Stops starting chunks; what finished is kept (MapError with `aborted: true`). */
  signal?: AbortSignal;
  /** Replace an earlier map of the same name instead of adding run-N/. */
  overwrite?: boolean;
}

export interface ResolvedMapOptions {
  workers: number | null;
  chunkSize: number | null;
  maxChunkBytes: number | null;
  retries: number;
  onChunkError: "fail" | "skip";
  name: string;
  overwrite: boolean;
}

export const DEFAULT_WORKERS = 10;
export const DEFAULT_RETRIES = 2;
/** As the experiment runner's threads: more lanes than this is a mistake, not a wish. */
export const MAX_WORKERS = 10_000;

const KNOWN = [
  "workers",
  "chunkSize",
  "maxChunkBytes",
  "retries",
  "onChunkError",
  "name",
  "signal",
  "overwrite",
];

/** Checks every option at once (a ConfigError lists all problems); unknown keys get a did-you-mean. */
export function resolveMapOptions(
  options: MapOptions,
  defaultPrefix: string,
  now = new Date(),
  known: readonly string[] = KNOWN,
): ResolvedMapOptions {
  const problems: string[] = [];
  if (typeof options !== "object" || options === null)
    throw new ConfigError(["map options must be an object"]);
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const close = closestName(key, known);
    problems.push(
      close
        ? `unknown option "${key}" (did you mean "${close}"?)`
        : `unknown option "${key}" (known: ${known.join(", ")})`,
    );
  }
  const workers = positiveInteger(options.workers, "workers", MAX_WORKERS, problems);
  const chunkSize = positiveInteger(options.chunkSize, "chunkSize", Number.MAX_SAFE_INTEGER, problems);
  const maxChunkBytes = positiveInteger(
    options.maxChunkBytes,
    "maxChunkBytes",
    Number.MAX_SAFE_INTEGER,
    problems,
  );
  const retries = options.retries === undefined ? DEFAULT_RETRIES : options.retries;
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) {
    problems.push(`"retries" must be an integer from 0 to 100, got ${String(retries)}`);
  }
  const onChunkError = options.onChunkError ?? "fail";
  if (onChunkError !== "fail" && onChunkError !== "skip") {
    problems.push(`"onChunkError" must be "fail" or "skip", got ${JSON.stringify(onChunkError)}`);
  }
  const name = options.name ?? defaultName(defaultPrefix, now);
  const nameProblem = experimentNameProblem(name);
  if (nameProblem) problems.push(nameProblem);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    problems.push(`"signal" must be an AbortSignal`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    workers,
    chunkSize,
    maxChunkBytes,
    retries,
    onChunkError,
    name,
    overwrite: options.overwrite === true,
  };
}

function positiveInteger(value: unknown, key: string, max: number, problems: string[]): number | null {
  if (value === undefined) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    problems.push(
      `"${key}" must be an integer from 1 to ${max.toLocaleString("en-US")}, got ${String(value)}`,
    );
    return null;
  }
  return value;
}

function defaultName(prefix: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${prefix}-${stamp}`;
}
