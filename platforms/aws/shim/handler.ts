import type { Envelope } from "../../../lib/runtime/envelope";
import { createHandler, type UserFunction } from "../../../lib/runtime/handler";

/** The part of Lambda's Node.js context object the shim uses. */
export interface LambdaContext {
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<Envelope>;

/**
 * Entry of a Lambda function: the build bundles it with the user function, and the bundle's entry
 * copies what start() returns onto module.exports, so Lambda finds `index.handler`. Runs at module
 * load, i.e. in Lambda's INIT phase, so instance set-up counts as init, not as the first request.
 */
export function start(userFunction: UserFunction): { handler: LambdaHandler } {
  const env = process.env;
  const handle = createHandler(userFunction, {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? "unknown",
    platform: "aws",
    memoryMb: Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || null,
    region: env.AWS_REGION || null,
  });
  const handler: LambdaHandler = async (event, context) => {
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const envelope = await handle(requestPayload(event), { requestId: context.awsRequestId, deadline });
    // Lambda serialises what the handler returns: hand it the object, not a JSON string in JSON.
    return JSON.parse(envelope) as Envelope;
  };
  return { handler };
}

/**
 * The event is the invoke payload itself, except through a function URL, where it is an HTTP event
 * (payload format 2.0) whose body is the JSON payload. (A URL's response is then the envelope as JSON.)
 */
export function requestPayload(event: unknown): unknown {
  if (!isUrlEvent(event)) return event;
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : event.body;
  if (raw === undefined || raw === "") return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

interface UrlEvent {
  version: "2.0";
  rawPath: string;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: unknown };
}

function isUrlEvent(event: unknown): event is UrlEvent {
  const e = event as Partial<UrlEvent> | null;
  return (
    typeof e === "object" &&
    e !== null &&
    e.version === "2.0" &&
    typeof e.rawPath === "string" &&
    typeof e.requestContext === "object" &&
    e.requestContext !== null &&
    "http" in e.requestContext
  );
}
