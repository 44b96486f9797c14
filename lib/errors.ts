import { inspect } from "node:util";

export type ErrorPhase = "config" | "build" | "deploy" | "invoke" | "list" | "remove" | "load";

export interface FaasLabErrorOptions {
  code: string;
  phase: ErrorPhase;
  platform?: string;
  hint?: string;
  cause?: unknown;
}

/** The one base class: every error faaslab throws on purpose is one of these. */
export class FaasLabError extends Error {
  readonly code: string;
  readonly phase: ErrorPhase;
  readonly platform: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: FaasLabErrorOptions) {
    const prefix = options.platform ? `[${options.platform}] ` : "";
    const hint = options.hint ? ` Hint: ${options.hint}` : "";
    const body = message.replace(/\.+$/, "");
    super(`${prefix}${options.phase} failed: ${body}.${hint}`, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.phase = options.phase;
    this.platform = options.platform;
    this.hint = options.hint;
  }

  /** A notebook prints message and hint, not a 40-line stack. */
  [inspect.custom](): string {
    return `${this.name}: ${this.message}`;
  }
}

/** Invalid configuration; `problems` lists every problem found, not just the first. */
export class ConfigError extends FaasLabError {
  readonly problems: string[];
  constructor(problems: string[], platform?: string, hint?: string) {
    const body = problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join("; ")}`;
    super(body, { code: "INVALID_CONFIG", phase: "config", platform, hint });
    this.problems = problems;
  }
}

/** The user function itself failed remotely (threw, timed out, crashed, was throttled). */
export class FunctionError extends FaasLabError {
  readonly errorType: string;
  readonly remoteMessage: string;
  readonly remoteStack: string | null;
  /** The invocation record of the failed call (an InvocationRecord). */
  readonly record: unknown;

  constructor(
    functionName: string,
    platform: string,
    remote: { errorType: string; errorMessage: string; stack: string | null },
    record: unknown,
  ) {
    super(`function "${functionName}" raised ${remote.errorType}: ${remote.errorMessage}`, {
      code: "FUNCTION_ERROR",
      phase: "invoke",
      platform,
    });
    this.errorType = remote.errorType;
    this.remoteMessage = remote.errorMessage;
    this.remoteStack = remote.stack;
    this.record = record;
  }

  [inspect.custom](): string {
    const stack = this.remoteStack ? `\n${indentStack(this.remoteStack)}` : "";
    return `${this.name}: ${this.message}${stack}`;
  }
}

function indentStack(stack: string): string {
  return stack
    .split("\n")
    .slice(1, 6)
    .map((line) => `  ${line.trim()}`)
    .join("\n");
}

/** Wraps anything thrown by lower layers so callers always see a FaasLabError. */
export function asFaasLabError(
  error: unknown,
  fallback: FaasLabErrorOptions & { message?: string },
): FaasLabError {
  if (error instanceof FaasLabError) return error;
  const message = fallback.message ?? (error instanceof Error ? error.message : String(error));
  return new FaasLabError(message, { ...fallback, cause: error });
}

/** The code of deploymentGone(): lib deploys the function again and retries the call once. */
export const DEPLOYMENT_GONE = "DEPLOYMENT_GONE";

/**
 * What a platform's invoke() throws when the deployment it was given no longer exists or is damaged
 * (removed, its artifact deleted or changed on disk) and the function therefore did not run.
 */
export function deploymentGone(message: string, platform: string, cause?: unknown): FaasLabError {
  return new FaasLabError(message, {
    code: DEPLOYMENT_GONE,
    phase: "invoke",
    platform,
    cause,
    hint: "the next call deploys it again; a function loaded without its source needs its defining cell run again",
  });
}

export function isDeploymentGone(error: unknown): error is FaasLabError {
  return error instanceof FaasLabError && error.code === DEPLOYMENT_GONE;
}
