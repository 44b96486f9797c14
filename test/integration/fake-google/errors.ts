import type { ServerResponse } from "node:http";

/** google.rpc.Code numbers by canonical name (what `error.status` spells and GoogleError.code holds). */
export const RPC_CODE = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;
export type RpcStatus = keyof typeof RPC_CODE;

/**
 * An API error as Google's REST front ends send it: `{ error: { code: <HTTP status>, message, status,
 * details? } }`. The client maps `status` (or the HTTP code) to a GoogleError with the rpc code.
 */
export class GoogleApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: RpcStatus,
    message: string,
    readonly details: Record<string, unknown>[] = [],
  ) {
    super(message);
  }

  toJSON(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = {
      code: this.httpStatus,
      message: this.message,
      status: this.status,
    };
    if (this.details.length > 0) error.details = this.details;
    return { error };
  }

  /** The google.rpc.Status a failed operation carries in its `error` field. */
  toRpcStatus(): { code: number; message: string; details: Record<string, unknown>[] } {
    return { code: RPC_CODE[this.status], message: this.message, details: this.details };
  }
}

export const notFound = (name: string): GoogleApiError =>
  new GoogleApiError(404, "NOT_FOUND", `Resource '${name}' was not found`);

export const alreadyExists = (name: string): GoogleApiError =>
  new GoogleApiError(
    409,
    "ALREADY_EXISTS",
    `Function ${name.split("/").pop()} in region ${name.split("/")[3]} in project ${name.split("/")[1]} already exists`,
  );

export const invalidArgument = (message: string): GoogleApiError =>
  new GoogleApiError(400, "INVALID_ARGUMENT", message);

export const aborted = (name: string): GoogleApiError =>
  new GoogleApiError(
    409,
    "ABORTED",
    `An operation on function ${name} is already in progress. Please try again later.`,
  );

const errorInfo = (reason: string, domain: string, metadata: Record<string, string>) => ({
  "@type": "type.googleapis.com/google.rpc.ErrorInfo",
  reason,
  domain,
  metadata,
});

/** 403 SERVICE_DISABLED, with the ErrorInfo, LocalizedMessage and Help details Google attaches. */
export function serviceDisabled(service: string, projectNumber: string): GoogleApiError {
  const title = API_TITLES[service] ?? service;
  const url = `https://console.developers.google.com/apis/api/${service}/overview?project=${projectNumber}`;
  const message =
    `${title} has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting ` +
    `${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return new GoogleApiError(403, "PERMISSION_DENIED", message, [
    errorInfo("SERVICE_DISABLED", "googleapis.com", {
      activationUrl: url,
      consumer: `projects/${projectNumber}`,
      containerInfo: projectNumber,
      service,
      serviceTitle: title,
    }),
    { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message },
    {
      "@type": "type.googleapis.com/google.rpc.Help",
      links: [{ description: "Google developers console API activation", url }],
    },
  ]);
}

const API_TITLES: Record<string, string> = {
  "cloudfunctions.googleapis.com": "Cloud Functions API",
  "cloudbuild.googleapis.com": "Cloud Build API",
  "artifactregistry.googleapis.com": "Artifact Registry API",
  "run.googleapis.com": "Cloud Run Admin API",
};

/** 403 IAM_PERMISSION_DENIED naming the permission and the resource. */
export function permissionDenied(permission: string, resource: string): GoogleApiError {
  return new GoogleApiError(403, "PERMISSION_DENIED", `Permission '${permission}' denied on '${resource}'`, [
    errorInfo("IAM_PERMISSION_DENIED", "cloudfunctions.googleapis.com", { permission, resource }),
  ]);
}

/** 429 RESOURCE_EXHAUSTED as a per-minute quota refuses a request. */
export function quotaExceeded(projectNumber: string): GoogleApiError {
  const metric = "cloudfunctions.googleapis.com/write_requests";
  return new GoogleApiError(
    429,
    "RESOURCE_EXHAUSTED",
    `Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute' of service ` +
      `'cloudfunctions.googleapis.com' for consumer 'project_number:${projectNumber}'.`,
    [
      errorInfo("RATE_LIMIT_EXCEEDED", "googleapis.com", {
        consumer: `projects/${projectNumber}`,
        quota_limit: "WriteRequestsPerMinutePerProject",
        quota_metric: metric,
        service: "cloudfunctions.googleapis.com",
      }),
    ],
  );
}

/** The Domain Restricted Sharing org policy refusing `allUsers` in a policy. */
export const orgPolicyRefusal = (): GoogleApiError =>
  new GoogleApiError(
    400,
    "FAILED_PRECONDITION",
    "One or more users named in the policy do not belong to a permitted customer, perhaps due to an organization policy.",
  );

export function sendError(res: ServerResponse, error: GoogleApiError): void {
  const body = JSON.stringify(error.toJSON());
  res.writeHead(error.httpStatus, {
    "Content-Type": "application/json; charset=UTF-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}
