import {
  CreateFunctionCommand,
  GetFunctionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
  type LambdaClient,
  type UpdateFunctionConfigurationCommandInput,
} from "@aws-sdk/client-lambda";
import type { Logger } from "../../lib/platform";
import { configurationInput, type AwsConfig } from "./config";
import { isConflict, isNotFound, isRoleNotAssumable, roleNotAssumable, waiterError } from "./errors";
import { backoffDelay, type Backoff, type Sleep } from "./retry";

/** What every control-plane step needs. */
export interface DeployContext {
  client: LambdaClient;
  log: Logger;
  signal?: AbortSignal;
  sleep: Sleep;
  roleBackoff: Backoff;
  conflictBackoff: Backoff;
  /** Longest wait for Active / update Successful, in seconds. */
  waitSeconds: number;
}

/**
 * Create-or-update from a zip. First deploy: GetFunction (not found) → CreateFunction (retried while
 * IAM propagates a new role) → wait Active. Later: GetFunction → UpdateFunctionCode (with the
 * architecture, so a change of it applies) → wait updated → UpdateFunctionConfiguration → wait updated.
 */
export async function createOrUpdate(
  ctx: DeployContext,
  lambdaName: string,
  config: AwsConfig,
  zip: Uint8Array,
): Promise<{ functionArn: string | null; created: boolean }> {
  const existing = await getFunction(ctx, lambdaName);
  if (!existing) {
    ctx.log(`aws: creating ${lambdaName} (${config.runtime}, ${config.architecture}, ${config.memory} MB)`);
    const created = await createFunction(ctx, lambdaName, config, zip);
    if (created) {
      await waitActive(ctx, lambdaName);
      return { functionArn: created.FunctionArn ?? null, created: true };
    }
    ctx.log(`aws: ${lambdaName} was created meanwhile by someone else; updating it`);
  } else if (existing.State === "Pending") {
    await waitActive(ctx, lambdaName);
  } else if (existing.LastUpdateStatus === "InProgress") {
    await waitUpdated(ctx, lambdaName);
  }
  ctx.log(`aws: updating the code of ${lambdaName} (${(zip.byteLength / 1024).toFixed(1)} KiB zipped)`);
  await withConflictRetry(ctx, lambdaName, () =>
    ctx.client.send(
      new UpdateFunctionCodeCommand({
        FunctionName: lambdaName,
        ZipFile: zip,
        Architectures: [config.architecture],
        Publish: false,
      }),
      { abortSignal: ctx.signal },
    ),
  );
  await waitUpdated(ctx, lambdaName);
  const functionArn = await updateConfiguration(ctx, configurationInput(lambdaName, config));
  return { functionArn, created: false };
}

/** UpdateFunctionConfiguration, then wait until it has been applied. Returns the function's ARN. */
export async function updateConfiguration(
  ctx: DeployContext,
  input: UpdateFunctionConfigurationCommandInput,
): Promise<string | null> {
  const name = input.FunctionName ?? "";
  ctx.log(`aws: updating the configuration of ${name}`);
  const out = await withRoleRetry(ctx, input.Role ?? "", () =>
    withConflictRetry(ctx, name, () =>
      ctx.client.send(new UpdateFunctionConfigurationCommand(input), { abortSignal: ctx.signal }),
    ),
  );
  await waitUpdated(ctx, name);
  return out.FunctionArn ?? null;
}

async function getFunction(ctx: DeployContext, name: string): Promise<FunctionConfiguration | null> {
  try {
    const out = await ctx.client.send(new GetFunctionCommand({ FunctionName: name }), {
      abortSignal: ctx.signal,
    });
    return out.Configuration ?? {};
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** null when the function appeared between GetFunction and CreateFunction (another process). */
async function createFunction(
  ctx: DeployContext,
  name: string,
  config: AwsConfig,
  zip: Uint8Array,
): Promise<FunctionConfiguration | null> {
  const settings = configurationInput(name, config);
  try {
    return await withRoleRetry(ctx, settings.Role ?? "", () =>
      ctx.client.send(
        new CreateFunctionCommand({
          ...settings,
          FunctionName: name,
          Role: settings.Role,
          Code: { ZipFile: zip },
          PackageType: "Zip",
          Architectures: [config.architecture],
          Publish: false,
        }),
        { abortSignal: ctx.signal },
      ),
    );
  } catch (e) {
    if (isConflict(e) && /exist/i.test(String((e as Error).message))) return null;
    throw e;
  }
}

/** A role created seconds ago is not assumable until IAM has propagated it: retry with backoff. */
async function withRoleRetry<T>(ctx: DeployContext, role: string, action: () => Promise<T>): Promise<T> {
  let waitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (e) {
      if (!isRoleNotAssumable(e)) throw e;
      if (attempt >= ctx.roleBackoff.attempts) throw roleNotAssumable(role, attempt, waitedMs / 1000, e);
      const delay = backoffDelay(ctx.roleBackoff, attempt);
      ctx.log(
        `aws: role ${role} cannot be assumed yet (IAM propagation?); retrying in ${(delay / 1000).toFixed(1)} s`,
      );
      waitedMs += delay;
      await ctx.sleep(delay, ctx.signal);
    }
  }
}

/** Another update still in progress (ResourceConflictException): wait for it, then try again. */
async function withConflictRetry<T>(ctx: DeployContext, name: string, action: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (e) {
      if (!isConflict(e) || attempt >= ctx.conflictBackoff.attempts) throw e;
      ctx.log(`aws: another update of ${name} is in progress; waiting for it`);
      await waitUpdated(ctx, name);
      await ctx.sleep(backoffDelay(ctx.conflictBackoff, attempt), ctx.signal);
    }
  }
}

function waiterConfig(ctx: DeployContext) {
  return {
    client: ctx.client,
    maxWaitTime: ctx.waitSeconds,
    minDelay: 1,
    maxDelay: 5,
    abortSignal: ctx.signal,
  };
}

export async function waitActive(ctx: DeployContext, name: string): Promise<void> {
  ctx.log(`aws: waiting for ${name} to become Active`);
  try {
    await waitUntilFunctionActiveV2(waiterConfig(ctx), { FunctionName: name });
  } catch (e) {
    ctx.signal?.throwIfAborted();
    throw waiterError(e, name, "Active");
  }
}

export async function waitUpdated(ctx: DeployContext, name: string): Promise<void> {
  try {
    await waitUntilFunctionUpdatedV2(waiterConfig(ctx), { FunctionName: name });
  } catch (e) {
    ctx.signal?.throwIfAborted();
    throw waiterError(e, name, "updated");
  }
}
