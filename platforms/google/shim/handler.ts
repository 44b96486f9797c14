import { createHandler, type UserFunction } from "../../../lib/runtime/handler";

/** The parts of the Functions Framework's (express) request and response the shim uses. */
export interface HttpRequest {
  body?: unknown;
  rawBody?: Buffer;
  headers: Record<string, string | string[] | undefined>;
}
export interface HttpResponse {
  status(code: number): HttpResponse;
  set(field: string, value: string): HttpResponse;
  send(body: string): unknown;
}
export type HttpFunction = (req: HttpRequest, res: HttpResponse) => Promise<void>;

/**
 * Entry of a Cloud Run function: the bundle's exports get `faaslab`, the HTTP function the Functions
 * Framework serves (entry point / FUNCTION_TARGET "faaslab"). Runs at module load, i.e. while the
 * instance starts, so set-up counts as init, not as the first request.
 *
 * Cloud Run sets K_SERVICE (the Google id), K_REVISION and FUNCTION_TARGET, but not the memory, the
 * region, the timeout nor faaslab's name for the function: the adapter passes those as FAASLAB_*.
 */
export function start(userFunction: UserFunction): { faaslab: HttpFunction } {
  const env = process.env;
  const timeoutMs = (Number(env.FAASLAB_TIMEOUT_S) || 60) * 1000;
  const handle = createHandler(userFunction, {
    functionName: env.FAASLAB_FUNCTION_NAME || env.K_SERVICE || env.FUNCTION_TARGET || "unknown",
    platform: "google",
    memoryMb: Number(env.FAASLAB_MEMORY_MB) || null,
    region: env.FAASLAB_REGION || null,
  });
  let sequence = 0;
  const faaslab: HttpFunction = async (req, res) => {
    const arrived = Date.now();
    try {
      const requestId =
        requestIdOf(req.headers) ?? `${env.K_REVISION ?? "local"}-${arrived.toString(36)}-${++sequence}`;
      const envelope = await handle(requestPayload(req), { requestId, deadline: arrived + timeoutMs });
      res.status(200).set("content-type", "application/json").send(envelope);
    } catch (e) {
      // Never let an exception escape: under NODE_ENV=production Google answers a bare 500 without it.
      const error = {
        errorType: (e as Error)?.name ?? "Error",
        errorMessage: String((e as Error)?.message ?? e),
      };
      res
        .status(500)
        .set("content-type", "application/json")
        .send(JSON.stringify({ faaslabError: error }));
    }
  };
  return { faaslab };
}

/** Google's per-request ids: the execution id header, else the trace id of x-cloud-trace-context. */
export function requestIdOf(headers: HttpRequest["headers"]): string | null {
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const execution = header("function-execution-id");
  if (execution) return execution;
  const trace = header("x-cloud-trace-context")?.split("/")[0];
  return trace || null;
}

/** The framework parses a JSON body; anything else arrives raw (text tried as JSON, else kept as text). */
export function requestPayload(req: HttpRequest): unknown {
  const body = req.body;
  if (body !== undefined && !Buffer.isBuffer(body) && typeof body !== "string")
    return isEmpty(body) && !req.rawBody?.length ? null : body;
  const raw = Buffer.isBuffer(body)
    ? body.toString("utf8")
    : typeof body === "string"
      ? body
      : (req.rawBody?.toString("utf8") ?? "");
  if (raw === "") return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** body-parser leaves `{}` when there was no body at all. */
function isEmpty(body: unknown): boolean {
  return typeof body === "object" && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
}
