import { readBootTime, readCpuInfo, type CpuInfo } from "./proc";

/** What the shim knows about where it runs; set once when the instance starts. */
export interface RuntimeInfo {
  functionName: string;
  platform: string;
  memoryMb: number | null;
  region: string | null;
}

/**
 * Per-instance state. Module state lives as long as the process, which is exactly an instance's life
 * on every platform (a warm Lambda or Cloud Run container keeps its process).
 */
export interface InstanceState {
  readonly id: string;
  invocations: number;
  /** ms from process start until the shim finished loading. */
  initMs: number | null;
  info: RuntimeInfo;
  cpu: CpuInfo;
  hostBootTime: number | null;
}

let state: InstanceState | null = null;

export function startInstance(info: RuntimeInfo): InstanceState {
  state = {
    id: instanceId(),
    invocations: 0,
    initMs: Math.round(process.uptime() * 1000 * 1000) / 1000,
    info,
    cpu: readCpuInfo(),
    hostBootTime: readBootTime(),
  };
  return state;
}

export function currentInstance(): InstanceState | null {
  return state;
}

/**
 * A random 128-bit id in UUID form. Not crypto: loading node:crypto at startup costs a cold start
 * several ms, and an instance id needs uniqueness, not secrecy.
 */
function instanceId(): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join("");
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}
