/**
 * The v2 enums the fake reads or writes. The REST fallback client sends enums as numbers and asks
 * for numbers back (`$alt=json;enum-encoding=int`); other callers (curl, gcloud) use names. Stored
 * resources keep names; replies use whichever encoding the request asked for.
 */
const TABLES = {
  environment: ["ENVIRONMENT_UNSPECIFIED", "GEN_1", "GEN_2"],
  state: ["STATE_UNSPECIFIED", "ACTIVE", "FAILED", "DEPLOYING", "DELETING", "UNKNOWN"],
  ingressSettings: [
    "INGRESS_SETTINGS_UNSPECIFIED",
    "ALLOW_ALL",
    "ALLOW_INTERNAL_ONLY",
    "ALLOW_INTERNAL_AND_GCLB",
  ],
  vpcConnectorEgressSettings: [
    "VPC_CONNECTOR_EGRESS_SETTINGS_UNSPECIFIED",
    "PRIVATE_RANGES_ONLY",
    "ALL_TRAFFIC",
  ],
  securityLevel: ["SECURITY_LEVEL_UNSPECIFIED", "SECURE_ALWAYS", "SECURE_OPTIONAL"],
  dockerRegistry: ["DOCKER_REGISTRY_UNSPECIFIED", "CONTAINER_REGISTRY", "ARTIFACT_REGISTRY"],
  stageName: [
    "NAME_UNSPECIFIED",
    "ARTIFACT_REGISTRY",
    "BUILD",
    "SERVICE",
    "TRIGGER",
    "SERVICE_ROLLBACK",
    "TRIGGER_ROLLBACK",
  ],
  stageState: ["STATE_UNSPECIFIED", "NOT_STARTED", "IN_PROGRESS", "COMPLETE"],
  severity: ["SEVERITY_UNSPECIFIED", "ERROR", "WARNING", "INFO"],
  operationType: ["OPERATIONTYPE_UNSPECIFIED", "CREATE_FUNCTION", "UPDATE_FUNCTION", "DELETE_FUNCTION"],
} as const;
export type EnumTable = keyof typeof TABLES;
export type Encoding = "name" | "int";

/** The enum's name for a name or a number; undefined when it is neither (the caller reports it). */
export function enumName(table: EnumTable, value: unknown): string | undefined {
  const names: readonly string[] = TABLES[table];
  if (typeof value === "number") return names[value];
  if (typeof value === "string" && names.includes(value)) return value;
  return undefined;
}

export function encodeEnum(table: EnumTable, name: string, encoding: Encoding): string | number {
  return encoding === "int" ? (TABLES[table] as readonly string[]).indexOf(name) : name;
}

/** What a request asked for: `$alt=json;enum-encoding=int` → numbers. */
export function encodingOf(query: URLSearchParams): Encoding {
  return /enum-encoding=int/.test(query.get("$alt") ?? "") ? "int" : "name";
}
