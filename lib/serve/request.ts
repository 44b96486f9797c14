import type { IncomingMessage } from "node:http";

/** A request refused before the function runs: the status and why. */
export interface Refusal {
  status: number;
  errorType: string;
  errorMessage: string;
  headers?: Record<string, string>;
}

/** The payload a request carries, or why it carries none the function could take. */
export type ParsedRequest = { payload: unknown } | { refusal: Refusal };

/** Bodies larger than this are refused with 413 (Lambda's synchronous payload limit is 6 MB). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Routes one request: `POST /` with a JSON body (an empty body is `{}`, as `GET /` without a query),
 * `GET /?k=v` as `{ k: "v" }` (a repeated key gives an array of its values). Any other path is 404,
 * any other method 405.
 */
export async function parseRequest(request: IncomingMessage): Promise<ParsedRequest> {
  const url = new URL(request.url ?? "/", "http://serve.invalid");
  if (url.pathname !== "/")
    return refuse(404, "NotFound", `no such path: ${url.pathname} (the function is served at /)`);
  if (request.method === "GET") return { payload: queryPayload(url.searchParams) };
  if (request.method !== "POST")
    return refuse(405, "MethodNotAllowed", `${request.method ?? "?"} is not served: use POST or GET`, {
      allow: "GET, POST",
    });
  const body = await readBody(request);
  if (body === null) return refuse(413, "PayloadTooLarge", `the body is larger than ${MAX_BODY_BYTES} bytes`);
  const text = body.toString("utf8");
  if (text.trim() === "") return { payload: {} };
  try {
    return { payload: JSON.parse(text) as unknown };
  } catch (e) {
    return refuse(400, "BadRequest", `the body is not JSON: ${(e as Error).message}`);
  }
}

function queryPayload(params: URLSearchParams): Record<string, string | string[]> {
  const payload: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    payload[key] = values.length === 1 ? values[0] : values;
  }
  return payload;
}

/** The whole body, or null once it passes MAX_BODY_BYTES (the rest is drained, not kept). */
function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(bytes > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function refuse(status: number, errorType: string, errorMessage: string, headers?: Record<string, string>) {
  return { refusal: { status, errorType, errorMessage, headers } };
}
