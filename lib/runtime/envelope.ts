/**
 * What the runtime shim inside a deployed function sends back for every request, on every platform.
 * Kept free of Node-only imports so it can be bundled into any shim.
 */

export type ScalarValue = string | number | boolean | null;

/** Facts about the instance (process) and the request, measured inside the function (SAAF's metrics). */
export interface RuntimeMetrics {
  requestId: string;
  instanceId: string;
  /** true on the first request an instance serves: a cold start. */
  coldStart: boolean;
  /** 1 for the first request on this instance, then 2, 3, … */
  instanceInvocations: number;
  /** Time inside the function, from handler entry to result serialised. */
  runtimeMs: number;
  /** Time from process start until the shim was ready (reported on the cold request only). */
  initMs: number | null;
  startedAt: number;
  endedAt: number;
  platform: string;
  functionName: string;
  memoryMb: number | null;
  region: string | null;
  runtime: string;
  cpuType: string | null;
  cpuModel: string | null;
  cpuCores: number | null;
  architecture: string;
  /** Host boot time, epoch seconds (from /proc/stat btime). */
  hostBootTime: number | null;
}

export interface RemoteError {
  errorType: string;
  errorMessage: string;
  stack: string | null;
}

export interface Envelope {
  ok: boolean;
  /** The function's result when ok. */
  result?: unknown;
  error?: RemoteError;
  metrics: RuntimeMetrics;
  /** Custom columns added with inspector.addAttribute/addTimeStamp and the Inspector's measurements. */
  attributes: Record<string, ScalarValue>;
}
