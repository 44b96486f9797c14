import type { Clock } from "./clock";
import type { ConfigSchema } from "./config/schema";
import type { Envelope } from "./runtime/envelope";

/** The name of a registered platform (lib/registry.ts has one line per platform). */
export type PlatformName = string;

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

/** What a platform returns from deploy()/attach(): enough to invoke, reconfigure or remove later, from any process. */
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
  /** Parsed shim envelope, or null when there is none (a failure, or a function faaslab did not build). */
  envelope: Envelope | null;
  /** Set when the request failed before or outside the function: why. */
  failure: { errorType: string; errorMessage: string; timedOut: boolean } | null;
  /** The answer of a function without faaslab's envelope (parsed JSON, else text); ignored when `envelope` is set. */
  result?: unknown;
  /** Runtime reported by a function without the envelope (e.g. a Server-Timing header); null: unknown. */
  runtimeMs?: number | null;
  statusCode: number | null;
  responseBytes: number | null;
  /** Tries made, the answering one included. */
  attempts: number;
  /**
   * performance.now() when the attempt that produced this answer began. Set it whenever the platform
   * retried: roundTripMs and latencyMs then cover that attempt only. Absent: the call's start.
   */
  finalAttemptAt?: number;
  /** Milliseconds spent waiting between attempts (backoff), 0 without retries. */
  retryDelayMs?: number;
  /** Platform-reported billing figures where the platform has them. */
  billedMs: number | null;
  initMs: number | null;
  maxMemoryUsedMb: number | null;
  instanceId?: string | null;
  /** Whether this request started its instance, as a function without the envelope says (or its platform infers); null: unknown. */
  coldStart?: boolean | null;
  /** vCPUs the instance was given (e.g. Lambda: memory / 1769); null or absent: unknown. */
  cpuAllocated?: number | null;
}

export interface Logger {
  (line: string): void;
}

export interface InvokeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Every control-plane call can report progress and be cancelled (a cloud update can take minutes). */
export interface ControlOptions {
  log: Logger;
  signal?: AbortSignal;
}

/** Where lib keeps one function's files (the same directories deploy() gets in DeployOptions). */
export interface FunctionDirs {
  dataDir: string;
  logDir: string;
}

/** A platform's verdict on a deployment read back from state.json (see Platform.verify). */
export type DeploymentCheck =
  | { status: "ok" }
  /** Missing or damaged: lib deploys it again (a function without its source here reports it). */
  | { status: "gone"; reason: string }
  /** It names files outside the function's directories: lib never uses it, not even to remove it. */
  | { status: "untrusted"; reason: string };

export interface DeployOptions extends ControlOptions {
  /** A directory the platform may keep files in for this function (kept across deploys). */
  dataDir: string;
  /** The function's log directory (deploy.log is written there by lib). */
  logDir: string;
}

/** Operations beyond invoke that a platform may offer; asking for a missing one throws UNSUPPORTED. */
export type Capability =
  | "deploy"
  | "attach"
  | "reconfigure"
  | "forceColdStart"
  | "list"
  | "remove"
  | "watchInstances";

/**
 * How many instances a function has at one moment, as the platform's own scheduler sees them
 * (local records it; a cloud platform may poll its metrics). One sample per change, at most every
 * `intervalMs`, plus one on subscribe.
 */
export interface InstanceSample {
  /** Epoch ms (the platform's clock). */
  at: number;
  /** Started but not yet ready (cold starts in progress). */
  starting: number;
  /** Ready: idle or busy. */
  ready: number;
  /** Ready instances with at least one request in flight. */
  busy: number;
  /** Requests in flight inside instances. */
  inFlight: number;
  /** Requests waiting for an instance (queue, activator buffer). */
  queued: number;
  /** The scaling policy's wanted instance count at this moment; null when the policy has none. */
  desired: number | null;
  /** Knative's panic mode (true while panicking); null when the policy has no such mode. */
  panic: boolean | null;
}

export interface WatchInstancesOptions {
  /** Coarsest spacing between samples while things change; default 100 ms. */
  intervalMs?: number;
}

/** A running subscription; stop() ends it (idempotent). */
export interface InstanceWatch {
  stop(): void;
}

/** A function found on a platform by list(): enough to show it and to remove it. */
export interface ListedFunction {
  platform: PlatformName;
  /** The faaslab function name. */
  functionName: string;
  /** The platform's name for it (e.g. the Lambda function name). */
  resourceName: string;
  /** Region, endpoint or directory; null when the platform has one place. */
  location: string | null;
  deployedAt: string | null;
  /** Pass to remove(). */
  deployment: Deployment;
}

export interface Platform {
  readonly name: PlatformName;
  /** Deploy a faaslab-built artifact ("deploy"). */
  deploy?(artifact: Artifact, config: PlatformConfig, options: DeployOptions): Promise<Deployment>;
  /** Describe a function faaslab did not build, e.g. a URL ("attach"): nothing is uploaded. */
  attach?(
    functionName: string,
    config: PlatformConfig,
    options: ControlOptions & Partial<FunctionDirs>,
  ): Promise<Deployment>;
  /** Apply a config-only change without a new artifact ("reconfigure"). */
  reconfigure?(deployment: Deployment, config: PlatformConfig, options: ControlOptions): Promise<Deployment>;
  invoke(deployment: Deployment, payload: unknown, options?: InvokeOptions): Promise<RawInvocation>;
  /** Delete the deployed function; one that is already gone is fine ("remove"). */
  remove?(deployment: Deployment, options: ControlOptions): Promise<void>;
  /** Retire every running instance so the next call is a cold start ("forceColdStart"). */
  forceColdStart?(deployment: Deployment, options: ControlOptions): Promise<void>;
  /** What faaslab deployed on this platform where `config` points (region, endpoint) ("list"). */
  list?(config: PlatformConfig, options: ControlOptions): Promise<ListedFunction[]>;
  /**
   * Checks a deployment lib read back from state.json — written by another process, by an older
   * faaslab or by hand — before lib uses it: is it intact, and does it stay inside `dirs`? Without it,
   * every deployment is taken as it is. A deployment found gone at invoke time instead makes invoke()
   * throw deploymentGone() (lib/errors.ts): lib deploys again and retries once.
   */
  verify?(deployment: Deployment, dirs: FunctionDirs): Promise<DeploymentCheck>;
  /**
   * Follow this function's instances over time ("watchInstances"): `onSample` gets one sample at once,
   * then one per change (no more often than `intervalMs`), until stop().
   */
  watchInstances?(
    deployment: Deployment,
    onSample: (sample: InstanceSample) => void,
    options?: WatchInstancesOptions,
  ): InstanceWatch;
  /** Release processes, sockets and timers held by this process. */
  shutdown?(): Promise<void>;
}

/** What a platform gets from lib when it is created: no platform reaches into lib's internals. */
export interface PlatformContext {
  clock: Clock;
  /** For messages not tied to one operation (operations get their own logger). */
  log: Logger;
  /** The session's current workspace directory. */
  workspace(): string;
}

/** What each platforms/<name>/index.ts exports as `platformModule`. */
export interface PlatformModule<S extends ConfigSchema = ConfigSchema> {
  readonly name: PlatformName;
  /** Validates its config; the config type is inferred from it, build keys are read from it. */
  readonly schema: S;
  /** Config keys whose change needs a new artifact: the schema's `build: true` fields. */
  readonly buildKeys: readonly string[];
  readonly capabilities: readonly Capability[];
  /** Absolute path of the shim the build bundles with the user function; null if it builds nothing. */
  readonly shimEntry: string | null;
  /** The esbuild target for a config, i.e. the Node version the function will run on ("node22"). */
  buildTarget(config: PlatformConfig): string;
  /** The platform's name for a faaslab function (its resource naming rules). */
  resourceName(functionName: string): string;
  /**
   * The largest request payload (bytes of its JSON) one invocation accepts with this config, as the
   * provider documents it (Lambda: 6 MB synchronous); absent or null: no known limit. map() keeps
   * every chunk under it.
   */
  maxPayloadBytes?(config: PlatformConfig): number | null;
  create(context: PlatformContext): Platform;
}
