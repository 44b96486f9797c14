import { ConfigError, FaasLabError } from "../errors";
import { PAYLOAD_JSON_HINT, payloadProblems } from "../function/payload";

/** One slice of the input: elements [start, end) sent as one invocation's payload. */
export interface Chunk {
  /** 0-based, in input order. */
  index: number;
  start: number;
  /** Exclusive. */
  end: number;
  /** Bytes of the chunk's JSON array (what the platform receives). */
  bytes: number;
}

export interface ChunkPlanOptions {
  /** Chunks = min(workers, elements), sizes differing by at most one. */
  workers: number | null;
  /** Elements per chunk (wins over workers for the cut; the last chunk may be smaller). */
  chunkSize: number | null;
  /** No chunk's JSON may exceed this many bytes; null: no limit. */
  maxBytes: number | null;
  /** Where maxBytes comes from, for messages ("the local platform's maxPayloadBytes"). */
  limitSource?: string;
}

/**
 * Cuts `elements` into chunks, in order, none empty: first by count (workers or chunkSize), then any
 * chunk over `maxBytes` is split again where it would overflow. An element whose JSON alone is over
 * the limit, or that JSON cannot carry, is an error here, before anything is sent.
 */
export function planChunks(elements: readonly unknown[], options: ChunkPlanOptions): Chunk[] {
  const n = elements.length;
  if (n === 0) return [];
  const sizes = elementBytes(elements, options);
  const chunks: Chunk[] = [];
  for (const [start, end] of countCuts(n, options)) {
    let from = start;
    let bytes = 2; // "[" and "]"
    for (let i = start; i < end; i++) {
      const add = sizes[i] + (i > from ? 1 : 0); // a comma between elements
      if (options.maxBytes !== null && bytes + add > options.maxBytes && i > from) {
        chunks.push({ index: chunks.length, start: from, end: i, bytes });
        from = i;
        bytes = 2 + sizes[i];
      } else {
        bytes += add;
      }
    }
    chunks.push({ index: chunks.length, start: from, end, bytes });
  }
  return chunks;
}

/** [start, end) of each chunk by count alone. */
function countCuts(n: number, options: ChunkPlanOptions): [number, number][] {
  const cuts: [number, number][] = [];
  if (options.chunkSize !== null) {
    for (let start = 0; start < n; start += options.chunkSize)
      cuts.push([start, Math.min(n, start + options.chunkSize)]);
    return cuts;
  }
  const count = Math.min(options.workers ?? 1, n);
  const base = Math.floor(n / count);
  const larger = n % count; // the first `larger` chunks take one more element
  let start = 0;
  for (let c = 0; c < count; c++) {
    const end = start + base + (c < larger ? 1 : 0);
    cuts.push([start, end]);
    start = end;
  }
  return cuts;
}

/** Bytes of each element's JSON (as inside an array: undefined and functions become null). */
function elementBytes(elements: readonly unknown[], options: ChunkPlanOptions): number[] {
  const sizes = new Array<number>(elements.length);
  const tooBig: string[] = [];
  for (let i = 0; i < elements.length; i++) {
    let json: string | undefined;
    try {
      json = JSON.stringify(elements[i]);
    } catch (error) {
      const problems = payloadProblems(elements[i], `elements[${i}]`, error);
      throw new FaasLabError(`element ${i} cannot be sent as JSON: ${problems.join("; ")}`, {
        code: "PAYLOAD_NOT_SERIALIZABLE",
        phase: "invoke",
        hint: PAYLOAD_JSON_HINT,
        cause: error,
      });
    }
    sizes[i] = json === undefined ? 4 : Buffer.byteLength(json);
    if (options.maxBytes !== null && sizes[i] + 2 > options.maxBytes) {
      tooBig.push(`element ${i} is ${sizes[i].toLocaleString("en-US")} bytes of JSON`);
    }
  }
  if (tooBig.length) {
    const limit = `${options.maxBytes?.toLocaleString("en-US")} bytes (${options.limitSource ?? "maxChunkBytes"})`;
    const shown = tooBig.length > 5 ? [...tooBig.slice(0, 5), `and ${tooBig.length - 5} more`] : tooBig;
    throw new ConfigError(
      [
        `${shown.join("; ")}: a chunk of that element alone would exceed the limit of ${limit}; nothing was sent`,
      ],
      undefined,
      "make each element smaller (e.g. send a reference such as a URL or object key instead of the data), or raise maxChunkBytes where the platform allows it",
    );
  }
  return sizes;
}
