import type { InvocationEntry } from "./service";
import type { UploadEntry } from "./uploads";

export type { InvocationEntry, UploadEntry };

export interface FakeGoogleOptions {
  project?: string; // "fake-project"
  projectNumber?: string; // "123456789012"
  region?: string; // "us-central1"
  /** Operation GETs that say not done even when the work is (default 1: the first poll never is). */
  pendingPolls?: number;
  /** How long a request waits for a free instance slot before a 429 (default 1000 ms). */
  pendingMs?: number;
  /** How long an instance may take to listen before the revision fails (default 30 s). */
  startTimeoutMs?: number;
}

/** API methods, as named in calls and fault hooks. */
export type Method =
  | "generateUploadUrl"
  | "createFunction"
  | "getFunction"
  | "listFunctions"
  | "updateFunction"
  | "deleteFunction"
  | "getOperation"
  | "getIamPolicy"
  | "setIamPolicy"
  | "getServiceIamPolicy"
  | "setServiceIamPolicy";

export type Fault = "permissionDenied" | "quotaExceeded" | "unavailable";

export interface CallEntry {
  method: Method | "upload" | "unknown";
  httpMethod: string;
  path: string;
  status: number;
  authorization: string | null;
  at: number;
}

export interface FunctionView {
  name: string;
  functionId: string;
  state: string;
  uri: string;
  revision: string;
  public: boolean;
  /** Live instances: id, pid, revision, the port it listens on (0 while starting), requests in flight. */
  instances: {
    id: string;
    pid: number | undefined;
    revision: string;
    port: number;
    inflight: number;
    retired: boolean;
  }[];
}

export interface FakeGoogle {
  /** `http://127.0.0.1:<port>` — the API root (for curl / fetch). */
  endpoint: string;
  port: number;
  project: string;
  projectNumber: string;
  region: string;
  /** Options for `new v2.FunctionServiceClient(...)` against this fake (REST fallback, no auth). */
  clientOptions(): { fallback: true; apiEndpoint: string; port: number; protocol: "http" };
  calls: CallEntry[];
  uploads: UploadEntry[];
  invocations: InvocationEntry[];
  /** Builds run so far (a service-only update runs none). */
  readonly builds: number;
  functions(): FunctionView[];
  /** PIDs of every live instance process. */
  pids(): number[];
  /** The next `times` calls of `method` fail with `fault`. */
  failNext(method: Method, fault: Fault, times?: number): void;
  /** Every API call answers 403 SERVICE_DISABLED naming `service` until enableApi (create/update only for cloudbuild/artifactregistry/run). */
  disableApi(service: string): void;
  enableApi(service: string): void;
  /** The next build fails with this reason (the operation's error carries it and the build log URL). */
  failNextBuild(reason: string): void;
  /** The next create/update/delete operation never finishes. */
  hangNextOperation(): void;
  /** An org policy (Domain Restricted Sharing) refuses `allUsers` / `allAuthenticatedUsers`. */
  orgPolicyBlocksAllUsers(on: boolean): void;
  /** Closes every listener and kills every instance (by PID); waits until they are gone. */
  stop(): Promise<void>;
}
