import type { RemoteError, RuntimeMetrics, ScalarValue } from "./envelope";
import { Inspector } from "./inspector";
import { currentInstance, startInstance, type InstanceState, type RuntimeInfo } from "./instance";
import { toRemoteError } from "./thrown";

/** The second argument every user function receives. */
export interface FunctionContext {
  functionName: string;
  /** Configured memory in MB (null where the platform does not say). */
  memory: number | null;
  platform: string;
  region: string | null;
  requestId: string;
  /** Epoch ms after which the platform stops the request. */
  deadline: number;
  getRemainingTimeMs(): number;
  inspector: Inspector;
}

export type UserFunction = (payload: unknown, context: FunctionContext) => unknown;

export interface RequestInfo {
  requestId: string;
  deadline: number;
}

/** Runs one request and returns the envelope already serialised (the result is stringified once). */
export type Handler = (payload: unknown, request: RequestInfo) => Promise<string>;

export function createHandler(userFunction: UserFunction, info: RuntimeInfo): Handler {
  const instance = currentInstance() ?? startInstance(info);
  return async (payload, request) => {
    // Numbered at arrival: with concurrency > 1 requests overlap, and only the first one is cold.
    const invocation = ++instance.invocations;
    const startedAt = Date.now();
    const t0 = performance.now();
    const inspector = new Inspector();
    const context = makeContext(instance, request, inspector);
    let resultJson: string | null = null;
    let error: RemoteError | null = null;
    try {
      const result = await userFunction(payload, context);
      resultJson = serialiseResult(result);
    } catch (e) {
      error = toRemoteError(e);
    }
    const runtimeMs = Math.round((performance.now() - t0) * 1000) / 1000;
    const metrics = buildMetrics(instance, invocation, request, startedAt, runtimeMs);
    const attributes = JSON.stringify(inspector.snapshot());
    return error
      ? `{"ok":false,"error":${JSON.stringify(error)},"metrics":${JSON.stringify(metrics)},"attributes":${attributes}}`
      : `{"ok":true,"result":${resultJson},"metrics":${JSON.stringify(metrics)},"attributes":${attributes}}`;
  };
}

function makeContext(instance: InstanceState, request: RequestInfo, inspector: Inspector): FunctionContext {
  return {
    functionName: instance.info.functionName,
    memory: instance.info.memoryMb,
    platform: instance.info.platform,
    region: instance.info.region,
    requestId: request.requestId,
    deadline: request.deadline,
    getRemainingTimeMs: () => Math.max(0, request.deadline - Date.now()),
    inspector,
  };
}

class ResultNotSerializable extends Error {
  name = "ResultNotSerializable";
}

function serialiseResult(result: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (e) {
    throw new ResultNotSerializable(
      `the function's result is not JSON-serialisable: ${(e as Error).message}`,
    );
  }
  if (json === undefined && result !== undefined) {
    throw new ResultNotSerializable(`the function returned a ${typeof result}, which JSON cannot carry`);
  }
  return json ?? "null";
}

function buildMetrics(
  instance: InstanceState,
  invocation: number,
  request: RequestInfo,
  startedAt: number,
  runtimeMs: number,
): RuntimeMetrics {
  const cold = invocation === 1;
  return {
    requestId: request.requestId,
    instanceId: instance.id,
    coldStart: cold,
    instanceInvocations: invocation,
    runtimeMs,
    initMs: cold ? instance.initMs : null,
    startedAt,
    endedAt: Date.now(),
    platform: instance.info.platform,
    functionName: instance.info.functionName,
    memoryMb: instance.info.memoryMb,
    region: instance.info.region,
    runtime: `nodejs${process.versions.node}`,
    cpuType: instance.cpu.cpuType,
    cpuModel: instance.cpu.cpuModel,
    cpuCores: instance.cpu.cpuCores,
    architecture: instance.cpu.architecture,
    hostBootTime: instance.hostBootTime,
  };
}

export type { ScalarValue };
