import { LambdaError } from "./errors";
import type { StoredFunction } from "./store";

/** The FunctionConfiguration JSON of a function (GetFunction.Configuration, Create/Update responses). */
export function configurationOf(fn: StoredFunction): Record<string, unknown> {
  const revision = fn.pending ?? fn.current;
  if (!revision) throw new LambdaError(500, "ServiceException", "function without revision");
  const s = revision.settings;
  const creating = fn.current === null;
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: s.Runtime,
    Role: s.Role,
    Handler: s.Handler,
    CodeSize: revision.codeSize,
    Description: s.Description,
    Timeout: s.Timeout,
    MemorySize: s.MemorySize,
    LastModified: fn.lastModified,
    CodeSha256: revision.codeSha256,
    Version: "$LATEST",
    Environment: { Variables: s.Environment },
    RevisionId: revision.id,
    State: creating ? "Pending" : "Active",
    ...(creating ? { StateReason: "The function is being created.", StateReasonCode: "Creating" } : {}),
    LastUpdateStatus: fn.pending ? "InProgress" : "Successful",
    ...(fn.pending && !creating
      ? { LastUpdateStatusReason: "The function is being updated.", LastUpdateStatusReasonCode: "Updating" }
      : {}),
    PackageType: "Zip",
    Architectures: s.Architectures,
    EphemeralStorage: { Size: s.EphemeralStorage },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
  };
}
