import { FaasLabError } from "../../lib/errors";
import type { FunctionServiceClient } from "./clients";
import {
  DEPLOY_MASK,
  ENTRY_POINT,
  FAASLAB_DESCRIPTION,
  FAASLAB_LABEL,
  FAASLAB_LABEL_VALUE,
  SERVICE_MASK,
  serviceConfig,
  type CloudFunction,
  type GoogleConfig,
} from "./config";
import { RPC, isAlreadyExists, isNotFound, rpcCode } from "./errors";
import { waitOperation, type OperationContext, type PolledOperation } from "./operation";

/** One function's place: its faaslab name, Google id, full resource name, project and region. */
export interface Target {
  functionName: string;
  functionId: string;
  resourceName: string;
  project: string;
  region: string;
  /** For messages: `"hello_world" (Google id "hello-world-35072c")`. */
  label: string;
}

/** The signed upload URL's answer: where the zip goes and what to name as the build's source. */
async function upload(ctx: OperationContext, target: Target, zip: Uint8Array): Promise<unknown> {
  const parent = `projects/${target.project}/locations/${target.region}`;
  const [answer] = await ctx.client.generateUploadUrl({ parent, environment: "GEN_2" });
  if (!answer.uploadUrl) throw new Error("generateUploadUrl returned no uploadUrl");
  ctx.log(`google: uploading the source (${(zip.byteLength / 1024).toFixed(1)} KiB zipped)`);
  // No credentials on the signed URL; Node's fetch sends no content-type for bytes: set it.
  const res = await fetch(answer.uploadUrl, {
    method: "PUT",
    headers: { "content-type": "application/zip" },
    body: zip,
    signal: ctx.signal,
  });
  if (!res.ok) {
    const text = (await res.text()).slice(0, 300);
    throw new FaasLabError(`uploading the source of ${target.label} failed (HTTP ${res.status}: ${text})`, {
      code: "GOOGLE_UPLOAD_FAILED",
      phase: "deploy",
      platform: "google",
      hint: "a signed upload URL is valid for a few minutes: deploy again",
    });
  }
  // Only what names the object: the decoded message also carries proto defaults ("0", "").
  const source = answer.storageSource ?? {};
  const generation = source.generation && String(source.generation) !== "0" ? source.generation : undefined;
  return { bucket: source.bucket, object: source.object, ...(generation ? { generation } : {}) };
}

async function existing(client: FunctionServiceClient, name: string): Promise<CloudFunction | null> {
  try {
    const [fn] = await client.getFunction({ name });
    return fn;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/**
 * generateUploadUrl → PUT the zip → createFunction (first time) or updateFunction with an update
 * mask → wait for the operation. Resolves to the deployed Function (its serviceConfig.uri).
 */
export async function createOrUpdate(
  ctx: OperationContext,
  target: Target,
  config: GoogleConfig,
  zip: Uint8Array,
): Promise<CloudFunction> {
  const storageSource = (await upload(ctx, target, zip)) as NonNullable<
    NonNullable<CloudFunction["buildConfig"]>["source"]
  >["storageSource"];
  const fn: CloudFunction = {
    name: target.resourceName,
    description: FAASLAB_DESCRIPTION,
    labels: { [FAASLAB_LABEL]: FAASLAB_LABEL_VALUE },
    environment: "GEN_2",
    buildConfig: { runtime: config.runtime, entryPoint: ENTRY_POINT, source: { storageSource } },
    serviceConfig: serviceConfig(target.functionName, target.region, config),
  };
  const current = await existing(ctx.client, target.resourceName);
  if (!current) {
    ctx.log(`google: creating ${target.label} (${config.runtime}, ${config.memory} MB) in ${target.region}`);
    try {
      const parent = `projects/${target.project}/locations/${target.region}`;
      const [op] = await ctx.client.createFunction({ parent, functionId: target.functionId, function: fn });
      return await finished(ctx, op, "create", target);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      ctx.log(`google: ${target.label} was created meanwhile by someone else; updating it`);
    }
  }
  ctx.log(`google: updating ${target.label} (new source, ${config.memory} MB)`);
  const op = await whenIdle(ctx, target, () =>
    ctx.client.updateFunction({ function: fn, updateMask: { paths: DEPLOY_MASK } }),
  );
  return finished(ctx, op, "update", target);
}

/** updateFunction of the service config only: no upload, no build; a new revision. */
export async function updateService(
  ctx: OperationContext,
  target: Target,
  config: GoogleConfig,
  nonce?: string,
): Promise<CloudFunction> {
  const fn: CloudFunction = {
    name: target.resourceName,
    serviceConfig: serviceConfig(target.functionName, target.region, config, nonce),
  };
  const op = await whenIdle(ctx, target, () =>
    ctx.client.updateFunction({ function: fn, updateMask: { paths: SERVICE_MASK } }),
  );
  return finished(ctx, op, "update", target);
}

/** deleteFunction and wait; a function that is already gone is fine. */
export async function deleteFunction(ctx: OperationContext, target: Target): Promise<void> {
  try {
    const [op] = await ctx.client.deleteFunction({ name: target.resourceName });
    await waitOperation(ctx, op, "delete", target.label);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** Attempts of a change refused because another operation on the function is running (ABORTED). */
const BUSY_ATTEMPTS = 6;

/** Google refuses a change while another one runs (409 ABORTED): wait for it, with backoff, then retry. */
async function whenIdle<T>(
  ctx: OperationContext,
  target: Target,
  change: () => Promise<[T, ...unknown[]]>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const [op] = await change();
      return op;
    } catch (e) {
      if (rpcCode(e) !== RPC.ABORTED || attempt >= BUSY_ATTEMPTS) throw e;
      const delay = Math.min(2000 * 2 ** (attempt - 1), 15_000);
      ctx.log(`google: another operation on ${target.label} is running; trying again in ${delay / 1000} s`);
      await ctx.sleep(delay, ctx.signal);
    }
  }
}

async function finished(
  ctx: OperationContext,
  op: PolledOperation,
  kind: "create" | "update",
  target: Target,
): Promise<CloudFunction> {
  const result = await waitOperation(ctx, op, kind, target.label);
  // The operation's response is the Function; read it again when an emulator leaves it out.
  if (result?.serviceConfig?.uri) return result;
  const fresh = await existing(ctx.client, target.resourceName);
  if (!fresh?.serviceConfig?.uri)
    throw new Error(`${target.label} has no serviceConfig.uri after the ${kind}`);
  return fresh;
}
