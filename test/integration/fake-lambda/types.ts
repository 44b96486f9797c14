import type { InvocationEntry } from "./invoke";
import type { Operation } from "./router";

/** The fake Lambda's public surface (see server.ts). */
export interface FakeLambdaOptions {
  region?: string;
  /** GetFunction polls that still see Pending / InProgress after a change (default 1). */
  pendingPolls?: number;
  /** A change completes after this long even without polls (default 3000 ms). */
  settleMs?: number;
  /** Concurrent executions across all functions before Invoke answers 429 (default 32). */
  concurrencyLimit?: number;
  /** Lambda's request size limit for Create/UpdateFunctionCode (default 70,167,211 bytes). */
  requestLimitBytes?: number;
  /** Unzipped code size limit (default 250 MB). */
  unzippedLimitBytes?: number;
}

export type Fault = "throttle" | "roleNotAssumable" | "serviceError";

export interface CallEntry {
  operation: Operation | "FunctionUrl" | "Unknown";
  functionName: string | null;
  status: number;
  at: number;
}

export interface FunctionSnapshot {
  name: string;
  state: string;
  lastUpdateStatus: string;
  configuration: Record<string, unknown>;
  codeDir: string | null;
  environments: { id: string; pid: number | undefined; busy: boolean; invocations: number }[];
}

export interface FakeLambda {
  endpoint: string;
  region: string;
  /** Every API request, in arrival order. */
  readonly calls: CallEntry[];
  /** Every synchronous invocation that reached an execution environment, in order. */
  readonly invocationLog: InvocationEntry[];
  readonly invocations: number;
  /** TCP connections accepted so far (keep-alive reuse shows as few connections for many calls). */
  readonly connections: number;
  functions(): FunctionSnapshot[];
  /** PIDs of the live execution environments (child processes). */
  pids(): number[];
  /** The next `count` requests of `operation` fail with `fault` (429, unassumable role, 500). */
  failNext(operation: Operation, count: number, fault: Fault): void;
  close(): Promise<void>;
}
