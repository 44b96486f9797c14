import type { Envelope } from "./runtime/envelope";

export type PlatformName = "local" | "aws" | "google" | "http";
export const PLATFORM_NAMES: readonly PlatformName[] = ["local", "aws", "google", "http"];

export type PlatformConfig = Record<string, unknown>;

/** A bundled, self-contained function ready to be deployed. */
export interface Artifact {
  functionName: string;
  /** sha256 over everything that changes the artifact. */
  hash: string;
  /** The bundle (one CommonJS file). */
  path: string;
  bytes: number;
}

/** What a platform returns from deploy(): enough to invoke, reconfigure or remove later, from any process. */
export interface Deployment {
  platform: PlatformName;
  functionName: string;
  hash: string;
  /** Effective platform config the function runs with. */
  config: PlatformConfig;
  /** Platform-specific ids (ARN, URL, artifact path, …), JSON-serialisable. */
  ref: Record<string, unknown>;
  deployedAt: string;
}

/** One invocation as the platform saw it; lib/ turns it into an InvocationRecord. */
export interface RawInvocation {
  /** Parsed shim envelope, or null when the request never produced one (crash, timeout, throttle). */
  envelope: Envelope | null;
  /** Set when there is no envelope: why the request failed. */
  failure: { errorType: string; errorMessage: string; timedOut: boolean } | null;
  statusCode: number | null;
  responseBytes: number | null;
  attempts: number;
  /** Platform-reported billing figures where the platform has them. */
  billedMs: number | null;
  initMs: number | null;
  maxMemoryUsedMb: number | null;
  instanceId?: string | null;
}

export interface Logger {
  (line: string): void;
}

export interface InvokeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface Platform {
  readonly name: PlatformName;
  deploy(artifact: Artifact, config: PlatformConfig, log: Logger, signal?: AbortSignal): Promise<Deployment>;
  reconfigure(deployment: Deployment, config: PlatformConfig): Promise<Deployment>;
  invoke(deployment: Deployment, payload: unknown, opts?: InvokeOptions): Promise<RawInvocation>;
  remove(deployment: Deployment): Promise<void>;
  list?(): Promise<Deployment[]>;
  /** Retire every running instance (a forced cold start) where the platform can. */
  forceColdStart?(deployment: Deployment): Promise<void>;
  /** Release processes, sockets and timers held by this process. */
  shutdown?(): Promise<void>;
}

/** What each platforms/<name>/index.ts exports. */
export interface PlatformModule {
  readonly name: PlatformName;
  /** Absolute path of the shim entry the build bundles with the user function. */
  readonly shimEntry: string;
  /** Config keys whose change needs a new artifact (the rest go through reconfigure). */
  readonly buildKeys: readonly string[];
  create(): Platform;
}
