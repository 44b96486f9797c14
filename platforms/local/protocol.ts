/** Messages between the local platform (parent) and an instance (child process), over Node's IPC channel. */

export interface InvokeMessage {
  t: "inv";
  id: string;
  payload: unknown;
  deadline: number;
}

export type ChildMessage =
  /** The artifact loaded: the instance can take requests. */
  | { t: "ready" }
  /** One request done; `body` is the serialised Envelope. */
  | { t: "res"; id: string; body: string };

/** Environment variables the parent passes to every instance. */
export const ENV = {
  functionName: "FAASLAB_FUNCTION_NAME",
  memoryMb: "FAASLAB_MEMORY_MB",
  region: "FAASLAB_REGION",
} as const;
