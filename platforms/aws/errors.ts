import { FaasLabError, type ErrorPhase } from "../../lib/errors";

/** What the SDK throws: a ServiceException (name = AWS error code, $metadata) or a plain Error. */
interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

export const errorName = (e: unknown): string => (e as SdkError | null)?.name ?? "";
export const errorMessage = (e: unknown): string => String((e as SdkError | null)?.message ?? e);
export const httpStatus = (e: unknown): number | undefined =>
  (e as SdkError | null)?.$metadata?.httpStatusCode;

export const isNotFound = (e: unknown): boolean => errorName(e) === "ResourceNotFoundException";
export const isConflict = (e: unknown): boolean => errorName(e) === "ResourceConflictException";
export const isThrottle = (e: unknown): boolean =>
  errorName(e) === "TooManyRequestsException" || httpStatus(e) === 429;
/** IAM has not propagated a new role yet (or its trust policy does not name Lambda). */
export const isRoleNotAssumable = (e: unknown): boolean =>
  errorName(e) === "InvalidParameterValueException" && /cannot be assumed/i.test(errorMessage(e));
export const isAbort = (e: unknown): boolean => errorName(e) === "AbortError";

/** A connection that broke before an answer: worth one more try (as the SDK's own retry does). */
export function isTransientNetwork(e: unknown): boolean {
  const code = (e as SdkError | null)?.code ?? "";
  return ["ECONNRESET", "EPIPE", "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"].includes(code);
}

const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "TokenProviderError",
  "ExpiredTokenException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "InvalidClientTokenId",
  "ExpiredToken",
]);

/** Missing, expired or invalid credentials, in any phase. */
export function credentialsError(e: unknown, phase: ErrorPhase): FaasLabError | null {
  if (!CREDENTIAL_ERRORS.has(errorName(e))) return null;
  const missing = errorName(e) === "CredentialsProviderError" || errorName(e) === "TokenProviderError";
  return new FaasLabError(
    missing
      ? `no AWS credentials found (${firstLine(errorMessage(e))})`
      : `AWS rejected the credentials (${errorName(e)}: ${firstLine(errorMessage(e))})`,
    {
      code: "AWS_CREDENTIALS",
      phase,
      platform: "aws",
      cause: e,
      hint: missing
        ? "configure the SDK's standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, `aws configure`, AWS_PROFILE, or `aws sso login`"
        : "refresh them (`aws sso login`, new keys) or pick another profile with AWS_PROFILE",
    },
  );
}

export function regionMissing(cause: unknown): FaasLabError {
  return new FaasLabError("no AWS region: the config says null and the SDK found none", {
    code: "AWS_REGION",
    phase: "config",
    platform: "aws",
    cause,
    hint: 'set "region" in the aws section of faaslab.config.json, or AWS_REGION, or the profile\'s region',
  });
}

/** Turns any SDK error of a deploy into a clear FaasLabError (the SDK error stays as `cause`). */
export function deployError(e: unknown, lambdaName: string, zipBytes: number): FaasLabError {
  if (e instanceof FaasLabError) return e;
  const known = credentialsError(e, "deploy");
  if (known) return known;
  const name = errorName(e);
  const message = firstLine(errorMessage(e));
  const fail = (text: string, code: string, hint?: string) =>
    new FaasLabError(text, { code, phase: "deploy", platform: "aws", cause: e, hint });
  if (/function ?name/i.test(message) && /Validation|InvalidParameterValue/.test(name)) {
    return fail(
      `Lambda rejected the function name "${lambdaName}" (${message})`,
      "AWS_INVALID_NAME",
      'use 1–64 letters, digits, "-" or "_" as the name in cloudFunction("name", …)',
    );
  }
  const tooLarge = /RequestEntityTooLarge|RequestTooLarge/.test(name) || httpStatus(e) === 413;
  if (tooLarge || /Unzipped size must be smaller/i.test(message))
    return packageTooLarge(zipBytes, message, e);
  if (name === "CodeStorageExceededException") {
    return fail(
      `the account's Lambda code storage is full (${message})`,
      "AWS_CODE_STORAGE_FULL",
      "delete unused functions (f.remove()) or old published versions, or ask AWS for a higher quota",
    );
  }
  if (name === "AccessDeniedException" || httpStatus(e) === 403) {
    return fail(
      `access denied (${message})`,
      "AWS_ACCESS_DENIED",
      "the credentials need the permissions listed in platforms/aws/README.md (lambda:CreateFunction, …, iam:PassRole)",
    );
  }
  return fail(`${name || "error"} while deploying "${lambdaName}": ${message}`, "AWS_DEPLOY_FAILED");
}

export function packageTooLarge(zipBytes: number, detail: string, cause?: unknown): FaasLabError {
  const size = `${(zipBytes / 1048576).toFixed(1)} MB zipped`;
  return new FaasLabError(`the package (${size}) is over Lambda's size limit (${detail})`, {
    code: "AWS_PACKAGE_TOO_LARGE",
    phase: "deploy",
    platform: "aws",
    cause,
    hint: "Lambda takes at most 50 MB zipped in a direct upload and 250 MB unzipped: require fewer or smaller modules in the function (they are all bundled into index.js)",
  });
}

export function roleNotAssumable(
  role: string,
  attempts: number,
  seconds: number,
  cause: unknown,
): FaasLabError {
  return new FaasLabError(
    `role "${role}" cannot be assumed by Lambda (tried ${attempts} times over ${seconds.toFixed(0)} s)`,
    {
      code: "AWS_ROLE_NOT_ASSUMABLE",
      phase: "deploy",
      platform: "aws",
      cause,
      hint: "its trust policy must allow lambda.amazonaws.com to sts:AssumeRole (`npx faaslab aws role create` makes such a role); a role created seconds ago may need a minute more",
    },
  );
}

/** A waiter that ended in FAILURE/TIMEOUT throws the JSON of its result as the message. */
export function waiterError(e: unknown, lambdaName: string, what: string): FaasLabError {
  let detail = firstLine(errorMessage(e));
  try {
    const result = JSON.parse(errorMessage(e)) as {
      state?: string;
      reason?: { Configuration?: Record<string, string> };
    };
    const c = result.reason?.Configuration ?? {};
    const reason = c.StateReason ?? c.LastUpdateStatusReason;
    const code = c.StateReasonCode ?? c.LastUpdateStatusReasonCode;
    detail =
      result.state === "TIMEOUT"
        ? "it took too long"
        : `${code ?? result.state}: ${reason ?? "no reason given"}`;
  } catch {
    // not a waiter result: keep the message
  }
  return new FaasLabError(`"${lambdaName}" did not become ${what} (${detail})`, {
    code: "AWS_FUNCTION_NOT_READY",
    phase: "deploy",
    platform: "aws",
    cause: e,
    hint: "see the function in the Lambda console or `aws lambda get-function`; deploying again retries",
  });
}

/** Errors of reconfigure/remove/forceColdStart/invoke that are not data. */
export function operationError(
  e: unknown,
  phase: ErrorPhase,
  what: string,
  lambdaName: string,
): FaasLabError {
  if (e instanceof FaasLabError) return e;
  const known = credentialsError(e, phase);
  if (known) return known;
  if (isNotFound(e)) {
    return new FaasLabError(`"${lambdaName}" does not exist on Lambda (${what})`, {
      code: "AWS_FUNCTION_NOT_FOUND",
      phase,
      platform: "aws",
      cause: e,
      hint: "it was deleted outside faaslab: deploy it again with f.deploy({ force: true })",
    });
  }
  return new FaasLabError(
    `${what} "${lambdaName}": ${errorName(e) || "error"}: ${firstLine(errorMessage(e))}`,
    {
      code: "AWS_REQUEST_FAILED",
      phase,
      platform: "aws",
      cause: e,
    },
  );
}

function firstLine(text: string): string {
  return text.split("\n")[0].slice(0, 500);
}
