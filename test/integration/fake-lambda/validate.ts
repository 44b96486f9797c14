import { invalidParameter, LambdaError } from "./errors";

/** The configuration a function runs with (the subset of FunctionConfiguration the fake models). */
export interface FunctionSettings {
  Role: string;
  Runtime: string;
  Handler: string;
  MemorySize: number;
  Timeout: number;
  Architectures: string[];
  Environment: Record<string, string>;
  EphemeralStorage: number;
  Description: string;
}

export const DEFAULT_SETTINGS: Omit<FunctionSettings, "Role"> = {
  Runtime: "nodejs22.x",
  Handler: "index.handler",
  MemorySize: 128,
  Timeout: 3,
  Architectures: ["x86_64"],
  Environment: {},
  EphemeralStorage: 512,
  Description: "",
};

const NAME = /^[a-zA-Z0-9-_]+$/;
const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const CREATABLE_RUNTIMES = new Set(["nodejs22.x", "nodejs24.x"]);
const RETIRED_NODE = /^nodejs(\d+)\.x$/;
const ENV_KEY = /^[a-zA-Z]([a-zA-Z0-9_])+$/;
const RESERVED_ENV = new Set([
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_EXECUTION_ENV",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "_HANDLER",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
]);
const ENV_BYTES_LIMIT = 4096;

/** The 400 the service gives for a value outside a modelled constraint (not a modelled SDK error). */
function validation(field: string, value: unknown, constraint: string): LambdaError {
  return new LambdaError(
    400,
    "ValidationException",
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A function name as given in a path: a name, a partial ARN or a full ARN; returns the plain name. */
export function nameFromPath(raw: string): string {
  const match = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?(?:function:)?([^:]+)(?::(.+))?$/.exec(
    raw,
  );
  const name = match?.[1] ?? raw;
  if (!NAME.test(name) || name.length > 64) {
    throw validation("functionName", raw, `Member must satisfy regular expression pattern: ${NAME.source}`);
  }
  return name;
}

export function checkNewName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0)
    throw validation("functionName", name, "Member must not be null");
  if (name.length > 64)
    throw validation("functionName", name, "Member must have length less than or equal to 64");
  if (!NAME.test(name)) {
    throw validation("functionName", name, `Member must satisfy regular expression pattern: ${NAME.source}`);
  }
  return name;
}

/** Applies the settings fields present in a Create/UpdateFunctionConfiguration body onto `base`. */
export function applySettings(base: FunctionSettings, body: Record<string, unknown>): FunctionSettings {
  const next = { ...base };
  if (body.Role !== undefined) {
    if (typeof body.Role !== "string" || !ROLE.test(body.Role)) {
      throw validation("role", body.Role, `Member must satisfy regular expression pattern: ${ROLE.source}`);
    }
    next.Role = body.Role;
  }
  if (body.Runtime !== undefined) next.Runtime = checkRuntime(body.Runtime);
  if (body.Handler !== undefined) {
    if (typeof body.Handler !== "string" || !/^[^\s]+\.[^\s.]+$/.test(body.Handler)) {
      throw validation("handler", body.Handler, "Member must satisfy regular expression pattern: [^\\s]+");
    }
    next.Handler = body.Handler;
  }
  if (body.MemorySize !== undefined) next.MemorySize = intIn("memorySize", body.MemorySize, 128, 10240);
  if (body.Timeout !== undefined) next.Timeout = intIn("timeout", body.Timeout, 1, 900);
  if (body.Description !== undefined) next.Description = String(body.Description);
  if (body.Architectures !== undefined) next.Architectures = checkArchitectures(body.Architectures);
  if (body.EphemeralStorage !== undefined) {
    const size = (body.EphemeralStorage as { Size?: unknown } | null)?.Size;
    next.EphemeralStorage = intIn("ephemeralStorage.size", size, 512, 10240);
  }
  if (body.Environment !== undefined) {
    next.Environment = checkEnvironment(
      (body.Environment as { Variables?: unknown } | null)?.Variables ?? {},
    );
  }
  return next;
}

function intIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw validation(field, value, "Member must be an integer");
  if (value < min) throw validation(field, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validation(field, value, `Member must have value less than or equal to ${max}`);
  return value;
}

function checkRuntime(runtime: unknown): string {
  if (typeof runtime !== "string") throw validation("runtime", runtime, "Member must be a string");
  if (CREATABLE_RUNTIMES.has(runtime)) return runtime;
  const node = RETIRED_NODE.exec(runtime);
  if (node && Number(node[1]) < 22) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
        "We recommend you use a supported runtime while creating or updating functions.",
    );
  }
  throw invalidParameter(
    `The runtime parameter of ${runtime} is not supported by this fake (node runtimes only).`,
  );
}

function checkArchitectures(value: unknown): string[] {
  if (!Array.isArray(value) || value.length !== 1) {
    throw validation(
      "architectures",
      JSON.stringify(value),
      "Member must have length less than or equal to 1",
    );
  }
  if (value[0] !== "x86_64" && value[0] !== "arm64") {
    throw validation("architectures", value[0], "Member must satisfy enum value set: [x86_64, arm64]");
  }
  return [value[0]];
}

function checkEnvironment(variables: unknown): Record<string, string> {
  if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
    throw invalidParameter("Environment.Variables must be a map of strings");
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (!ENV_KEY.test(key)) {
      throw validation(
        "environment.variables",
        key,
        `Member must satisfy regular expression pattern: ${ENV_KEY.source}`,
      );
    }
    if (RESERVED_ENV.has(key)) {
      throw invalidParameter(
        `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${key}`,
      );
    }
    out[key] = String(value);
  }
  if (Buffer.byteLength(JSON.stringify(out)) > ENV_BYTES_LIMIT) {
    throw invalidParameter(
      "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.",
    );
  }
  return out;
}
