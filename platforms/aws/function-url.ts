import {
  AddPermissionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  RemovePermissionCommand,
  UpdateFunctionUrlConfigCommand,
  type AddPermissionCommandInput,
} from "@aws-sdk/client-lambda";
import type { UrlMode } from "./config";
import type { DeployContext } from "./deploy";
import { errorMessage, errorName, isConflict, isNotFound } from "./errors";

/** Statement ids of the resource-policy grants that make a URL public (removed when it is not). */
const PUBLIC_STATEMENTS = ["faaslab-url-public", "faaslab-url-public-invoke"];

/**
 * Brings the function's URL to `mode`. Off by default (FaaSET made every function public on every
 * deploy); "iam" needs SigV4-signed requests; "public" also grants `*` InvokeFunctionUrl and
 * InvokeFunction-via-URL, both of which new public URLs need. `previous` is what the adapter knows
 * was there ("unknown" when a redeploy cannot tell). Returns the URL, or null when off.
 */
export async function syncFunctionUrl(
  ctx: DeployContext,
  name: string,
  mode: UrlMode,
  previous: UrlMode | "unknown",
): Promise<string | null> {
  if (mode === "off") {
    if (previous !== "off") await deleteUrl(ctx, name);
    return null;
  }
  const AuthType = mode === "public" ? "NONE" : "AWS_IAM";
  let url: string | undefined;
  try {
    const out = await ctx.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType }), {
      abortSignal: ctx.signal,
    });
    url = out.FunctionUrl;
  } catch (e) {
    if (!isConflict(e)) throw e; // it exists: set its auth type
    const out = await ctx.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType }), {
      abortSignal: ctx.signal,
    });
    url = out.FunctionUrl;
  }
  if (mode === "public") await grantPublic(ctx, name);
  else if (previous !== "iam" && previous !== "off") await revokePublic(ctx, name);
  ctx.log(`aws: function URL (${mode === "public" ? "public: anyone can call it" : "AWS_IAM auth"}) ${url}`);
  return url ?? null;
}

async function grantPublic(ctx: DeployContext, name: string): Promise<void> {
  const grants: AddPermissionCommandInput[] = [
    {
      FunctionName: name,
      StatementId: PUBLIC_STATEMENTS[0],
      Action: "lambda:InvokeFunctionUrl",
      Principal: "*",
      FunctionUrlAuthType: "NONE",
    },
    {
      FunctionName: name,
      StatementId: PUBLIC_STATEMENTS[1],
      Action: "lambda:InvokeFunction",
      Principal: "*",
      InvokedViaFunctionUrl: true,
    },
  ];
  for (const grant of grants) {
    try {
      await ctx.client.send(new AddPermissionCommand(grant), { abortSignal: ctx.signal });
    } catch (e) {
      if (!isConflict(e)) throw e; // the statement is already there
    }
  }
}

/** With IAM auth a `*` grant would let any AWS account call the URL: take it away. */
async function revokePublic(ctx: DeployContext, name: string): Promise<void> {
  for (const StatementId of PUBLIC_STATEMENTS) {
    try {
      await ctx.client.send(new RemovePermissionCommand({ FunctionName: name, StatementId }), {
        abortSignal: ctx.signal,
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

async function deleteUrl(ctx: DeployContext, name: string): Promise<void> {
  try {
    await ctx.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name }), {
      abortSignal: ctx.signal,
    });
    ctx.log(`aws: deleted the function URL of ${name}`);
    await revokePublic(ctx, name);
  } catch (e) {
    if (isNotFound(e)) return; // there was none: the usual case
    // Not worth failing a deploy over: say so and go on.
    ctx.log(`aws: could not check for a function URL to delete (${errorName(e)}: ${errorMessage(e)})`);
  }
}
