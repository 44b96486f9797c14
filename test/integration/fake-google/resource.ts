import { encodeEnum, enumName, type Encoding, type EnumTable } from "./enums";
import { invalidArgument } from "./errors";

export type Json = Record<string, unknown>;

/** A stored Function resource: the v2 JSON shape (camelCase), enums as names. */
export interface FunctionResource extends Json {
  name: string;
  state: string;
  environment: string;
  buildConfig: Json;
  serviceConfig: Json;
}

export const isObject = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);
export const objectAt = (x: Json, key: string): Json => (isObject(x[key]) ? (x[key] as Json) : {});

/** Fields of a Function and its configs a caller may set (output-only ones are ignored, as Google does). */
const FIELDS: Record<string, readonly string[]> = {
  function: [
    "name",
    "description",
    "buildConfig",
    "serviceConfig",
    "eventTrigger",
    "environment",
    "labels",
    "kmsKeyName",
  ],
  buildConfig: [
    "runtime",
    "entryPoint",
    "source",
    "environmentVariables",
    "dockerRegistry",
    "dockerRepository",
    "serviceAccount",
    "workerPool",
    "automaticUpdatePolicy",
    "onDeployUpdatePolicy",
  ],
  serviceConfig: [
    "timeoutSeconds",
    "availableMemory",
    "availableCpu",
    "environmentVariables",
    "maxInstanceCount",
    "minInstanceCount",
    "vpcConnector",
    "vpcConnectorEgressSettings",
    "ingressSettings",
    "serviceAccountEmail",
    "allTrafficOnLatestRevision",
    "secretEnvironmentVariables",
    "secretVolumes",
    "maxInstanceRequestConcurrency",
    "securityLevel",
    "binaryAuthorizationPolicy",
  ],
};
const OUTPUT_ONLY = new Set([
  "state",
  "updateTime",
  "createTime",
  "url",
  "stateMessages",
  "satisfiesPzs",
  "uri",
  "revision",
  "service",
  "build",
  "sourceProvenance",
]);

/** Enum-valued fields by (section, field). */
const ENUM_FIELDS: Record<string, Record<string, EnumTable>> = {
  function: { environment: "environment", state: "state" },
  buildConfig: { dockerRegistry: "dockerRegistry" },
  serviceConfig: {
    ingressSettings: "ingressSettings",
    vpcConnectorEgressSettings: "vpcConnectorEgressSettings",
    securityLevel: "securityLevel",
  },
};

/**
 * The caller's Function with enums as names and output-only fields dropped; an unknown field is
 * INVALID_ARGUMENT with the message Google's JSON parser gives.
 */
export function readFunction(body: unknown): Json {
  if (!isObject(body))
    throw invalidArgument("Invalid JSON payload received. Expected an object for 'function'.");
  const fn = section("function", body);
  for (const key of ["buildConfig", "serviceConfig"])
    if (isObject(fn[key])) fn[key] = section(key, fn[key] as Json);
  return fn;
}

function section(kind: string, input: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (OUTPUT_ONLY.has(key)) continue;
    if (!FIELDS[kind]!.includes(key)) {
      throw invalidArgument(
        `Invalid JSON payload received. Unknown name "${key}" at '${kind === "function" ? "function" : `function.${snake(kind)}`}': Cannot find field.`,
      );
    }
    const table = ENUM_FIELDS[kind]?.[key];
    if (table && value !== undefined) {
      const name = enumName(table, value);
      if (name === undefined)
        throw invalidArgument(
          `Invalid value at '${snake(kind)}.${snake(key)}' (${table}), ${JSON.stringify(value)}`,
        );
      out[key] = name;
    } else out[key] = value;
  }
  return out;
}

/** The resource as a reply: a deep copy with enums in the requested encoding. */
export function writeFunction(fn: FunctionResource, encoding: Encoding): Json {
  const out = structuredClone(fn) as Json;
  encodeSection("function", out, encoding);
  for (const key of ["buildConfig", "serviceConfig"])
    if (isObject(out[key])) encodeSection(key, out[key] as Json, encoding);
  if (Array.isArray(out.stateMessages)) {
    for (const m of out.stateMessages as Json[])
      m.severity = encodeEnum("severity", String(m.severity), encoding);
  }
  return out;
}

function encodeSection(kind: string, target: Json, encoding: Encoding): void {
  for (const [key, table] of Object.entries(ENUM_FIELDS[kind] ?? {})) {
    if (typeof target[key] === "string") target[key] = encodeEnum(table, target[key] as string, encoding);
  }
}

export const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Applies an update: with `updateMask` (comma-joined paths, snake_case or camelCase, as the client
 * sends them) only those fields are copied — a path whose value is absent in the request is cleared;
 * without a mask every updatable field is replaced, as Google documents.
 */
export function applyUpdate(current: FunctionResource, update: Json, mask: string | null): FunctionResource {
  const next = structuredClone(current);
  if (mask === null || mask === "") {
    for (const key of ["description", "labels", "buildConfig", "serviceConfig", "kmsKeyName"]) {
      if (update[key] === undefined) delete next[key];
      else next[key] = structuredClone(update[key]);
    }
    keepOutputs(current, next);
    return next;
  }
  for (const raw of mask.split(",")) {
    const path = raw.trim().split(".").map(camel);
    const [head, field] = path;
    const known =
      head === "description" ||
      head === "labels" ||
      head === "kmsKeyName" ||
      ((head === "buildConfig" || head === "serviceConfig") &&
        (field === undefined || FIELDS[head]!.includes(field)));
    if (!known || path.length > (head === "buildConfig" && field === "source" ? 4 : 3)) {
      throw invalidArgument(`Invalid field mask path: '${raw.trim()}'.`);
    }
    setPath(next, path, getPath(update, path));
  }
  keepOutputs(current, next);
  return next;
}

/** Output-only service fields survive a full replacement. */
function keepOutputs(current: FunctionResource, next: FunctionResource): void {
  next.buildConfig = { ...objectAt(next, "buildConfig") };
  next.serviceConfig = { ...objectAt(next, "serviceConfig") };
  for (const key of ["uri", "revision", "service"]) {
    if (current.serviceConfig[key] !== undefined) next.serviceConfig[key] = current.serviceConfig[key];
  }
}

function getPath(x: Json, path: string[]): unknown {
  let at: unknown = x;
  for (const key of path) at = isObject(at) ? at[key] : undefined;
  return at === undefined ? undefined : structuredClone(at);
}

function setPath(x: Json, path: string[], value: unknown): void {
  let at = x;
  for (const key of path.slice(0, -1)) {
    if (!isObject(at[key])) at[key] = {};
    at = at[key] as Json;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
}

/** True when an update changes what gets built (so the operation runs a BUILD stage). */
export function needsBuild(before: FunctionResource, after: FunctionResource): boolean {
  return JSON.stringify(before.buildConfig) !== JSON.stringify(after.buildConfig);
}
