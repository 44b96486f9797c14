import type { ServerResponse } from "node:http";

/**
 * A Lambda service error as the REST API sends it: the status, the `X-Amzn-ErrorType` header the SDK
 * reads the error code from (@smithy/core loadRestJsonErrorCode: header first), and a JSON body.
 * Lambda's models disagree on the case of the message key (ResourceNotFoundException has `Message`,
 * InvalidParameterValueException `message`); the SDK reads both, and each error here uses its model's.
 */
export class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    const key = CAPITAL_MESSAGE.has(this.type) ? "Message" : "message";
    return { Type: this.status >= 500 ? "Service" : "User", [key]: this.message, ...this.extra.body };
  }
}

const CAPITAL_MESSAGE = new Set(["ResourceNotFoundException", "ResourceInUseException"]);

export const notFound = (arn: string): LambdaError =>
  new LambdaError(404, "ResourceNotFoundException", `Function not found: ${arn}`);

export const invalidParameter = (message: string): LambdaError =>
  new LambdaError(400, "InvalidParameterValueException", message);

export const conflict = (message: string): LambdaError =>
  new LambdaError(409, "ResourceConflictException", message);

export const throttled = (reason = "ReservedFunctionConcurrentInvocationLimitExceeded"): LambdaError =>
  new LambdaError(429, "TooManyRequestsException", "Rate Exceeded.", {
    headers: { "Retry-After": "1" },
    body: { Reason: reason },
  });

export const roleNotAssumable = (): LambdaError =>
  invalidParameter("The role defined for the function cannot be assumed by Lambda.");

export function sendError(res: ServerResponse, error: LambdaError, requestId: string): void {
  const body = JSON.stringify(error.body());
  res.writeHead(error.status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "X-Amzn-ErrorType": error.type,
    "X-Amzn-RequestId": requestId,
    ...error.extra.headers,
  });
  res.end(body);
}
