import { performance } from "node:perf_hooks";
import { ConfigError, FunctionError, asFaasLabError } from "../errors";
import type { InvocationRecord } from "../experiment/record";
import type { Deployment, InvokeOptions, PlatformConfig, PlatformName } from "../platform";
import { isPlatformName, platformFor } from "../registry";
import type { FunctionContext } from "../runtime/handler";
import { readWorkspaceConfig, resolveConfig, mergeLayers } from "../config/layers";
import { sessionPlatform, settingsVersion, workspaceDir } from "../session";
import { ensureDeployed, hashFor, removeDeployment, stableKey, type Prepared } from "./deployer";
import { toRecord } from "./record-builder";
import { captureSource } from "./source";
import { readState } from "./state";
import { functionPaths } from "./workspace";

export interface CloudFunctionOptions {
  /** Where it runs; default: configure({ platform }), then faaslab.config.json, then "local". */
  platform?: PlatformName;
  /** Platform knobs (see platforms/<name>/defaults.json). */
  config?: PlatformConfig;
  /** npm packages installed into the build instead of taken from the workspace's node_modules. */
  dependencies?: Record<string, string>;
}

export interface CloudFunction<P = unknown, R = unknown> {
  /** Deploys if the function or its config changed, invokes, resolves to the result (rejects with FunctionError). */
  (payload: P): Promise<R>;
  /** Same, but resolves to the full InvocationRecord; never rejects for a function error. */
  invoke(payload: P, options?: InvokeOptions): Promise<InvocationRecord>;
  deploy(options?: { force?: boolean; signal?: AbortSignal }): Promise<Deployment>;
  /** Deletes the deployed function (and its state.json); logs and experiments stay. */
  remove(): Promise<void>;
  /** The effective config the next call runs with. */
  config(): PlatformConfig;
  readonly functionName: string;
  readonly platform: PlatformName;
}

export type UserFunction<P, R> = (payload: P, context: FunctionContext) => R | Promise<R>;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** The state behind one callable: its source (or none, when loaded) and its config layers. */
export class FunctionHandle {
  reconfigured: PlatformConfig = {};
  private configVersion = 0;
  private prepared: { key: string; value: Prepared } | null = null;

  constructor(
    readonly name: string,
    private readonly spec: {
      source: string | null;
      options: CloudFunctionOptions;
      /** For a loaded function: the config and hash it was deployed with. */
      deployed?: { platform: PlatformName; config: PlatformConfig; hash: string; workspace: string };
    },
  ) {}

  reconfigure(config: PlatformConfig): void {
    this.reconfigured = mergeLayers(this.reconfigured, config);
    this.configVersion += 1;
    this.prepare();
  }

  /** Config, platform and hash; recomputed only when config or session settings change. */
  prepare(): Prepared {
    const key = `${this.configVersion}:${settingsVersion()}`;
    if (this.prepared?.key === key) return this.prepared.value;
    const value = this.spec.deployed ? this.prepareLoaded(this.spec.deployed) : this.prepareFromSource();
    this.prepared = { key, value };
    return value;
  }

  private prepareFromSource(): Prepared {
    const workspace = workspaceDir();
    const workspaceConfig = readWorkspaceConfig(workspace);
    const platform = this.spec.options.platform ?? sessionPlatform() ?? workspaceConfig.platform ?? "local";
    if (!isPlatformName(platform)) {
      throw new ConfigError([
        `"platform" must be one of local, aws, google, http; got ${JSON.stringify(platform)}`,
      ]);
    }
    const config = resolveConfig(platform, workspaceConfig, this.spec.options.config, this.reconfigured);
    const source = this.spec.source as string;
    const dependencies = this.spec.options.dependencies ?? {};
    const hash = hashFor(platform, source, dependencies, config);
    return {
      name: this.name,
      platform,
      config,
      configKey: stableKey(config),
      hash,
      workspace,
      build: { source, dependencies },
    };
  }

  private prepareLoaded(deployed: NonNullable<FunctionHandle["spec"]["deployed"]>): Prepared {
    const { platform, hash, workspace } = deployed;
    const config = resolveConfig(platform, {}, deployed.config, this.reconfigured);
    return { name: this.name, platform, config, configKey: stableKey(config), hash, workspace, build: null };
  }

  async invoke(payload: unknown, options?: InvokeOptions): Promise<InvocationRecord> {
    const deployment = await ensureDeployed(this.prepare(), false, options?.signal);
    const platform = platformFor(deployment.platform);
    const payloadJson = JSON.stringify(payload);
    const startedAt = Date.now();
    const t0 = performance.now();
    const raw = await platform.invoke(deployment, payload, options).catch((e: unknown) => {
      throw asFaasLabError(e, { code: "INVOKE_FAILED", phase: "invoke", platform: deployment.platform });
    });
    const roundTripMs = Math.round((performance.now() - t0) * 1000) / 1000;
    const timing = { startedAt, endedAt: Date.now(), roundTripMs, payloadBytes: payloadJson?.length ?? 0 };
    return toRecord(deployment, raw, timing);
  }

  async call(payload: unknown): Promise<unknown> {
    const record = await this.invoke(payload);
    if (!record.failed) return record.result;
    throw new FunctionError(
      this.name,
      record.platform,
      {
        errorType: record.errorType ?? "Error",
        errorMessage: record.errorMessage ?? "",
        stack: record.errorStack,
      },
      record,
    );
  }

  deploy(force: boolean, signal?: AbortSignal): Promise<Deployment> {
    return ensureDeployed(this.prepare(), force, signal);
  }

  async remove(): Promise<void> {
    const prepared = this.prepare();
    await removeDeployment(this.name, prepared.workspace);
  }
}

/** Wraps a handle in the callable users hold. */
export function toCallable<P, R>(handle: FunctionHandle): CloudFunction<P, R> {
  const callable = ((payload: P) => handle.call(payload)) as CloudFunction<P, R>;
  Object.defineProperties(callable, {
    name: { value: handle.name },
    functionName: { value: handle.name, enumerable: true },
    platform: { get: () => handle.prepare().platform, enumerable: true },
  });
  callable.invoke = (payload, options) => handle.invoke(payload, options);
  callable.deploy = (options) => handle.deploy(options?.force ?? false, options?.signal);
  callable.remove = () => handle.remove();
  callable.config = () => ({ ...handle.prepare().config });
  handles.set(callable, handle);
  return callable;
}

const handles = new WeakMap<object, FunctionHandle>();

export function handleOf(fn: unknown): FunctionHandle {
  const handle = typeof fn === "function" ? handles.get(fn) : undefined;
  if (!handle)
    throw new ConfigError([
      "expected a function returned by cloudFunction(), useFunction() or loadFunctions()",
    ]);
  return handle;
}

/**
 * cloudFunction("name", fn, options) or cloudFunction(namedFunction, options). Nothing is built or
 * deployed until the first call (or .deploy()).
 */
export function cloudFunction<P, R>(
  name: string,
  fn: UserFunction<P, R>,
  options?: CloudFunctionOptions,
): CloudFunction<P, Awaited<R>>;
export function cloudFunction<P, R>(
  fn: UserFunction<P, R>,
  options?: CloudFunctionOptions,
): CloudFunction<P, Awaited<R>>;
export function cloudFunction(
  first: string | UserFunction<unknown, unknown>,
  second?: UserFunction<unknown, unknown> | CloudFunctionOptions,
  third?: CloudFunctionOptions,
): CloudFunction {
  const [name, fn, options] =
    typeof first === "string"
      ? [first, second as UserFunction<unknown, unknown>, third ?? {}]
      : [first?.name, first, (second as CloudFunctionOptions | undefined) ?? {}];
  validateDefinition(name, fn, options);
  return toCallable(new FunctionHandle(name, { source: captureSource(fn), options }));
}

function validateDefinition(
  name: unknown,
  fn: unknown,
  options: CloudFunctionOptions,
): asserts name is string {
  const problems: string[] = [];
  if (typeof fn !== "function") problems.push(`expected a function, got ${typeof fn}`);
  if (typeof name !== "string" || name === "") {
    problems.push('the function has no name: use cloudFunction("name", fn) or a named function');
  } else if (!NAME.test(name)) {
    problems.push(
      `name "${name}" must start with a letter and use only letters, digits, "_" and "-" (at most 64)`,
    );
  }
  if (options.platform !== undefined && !isPlatformName(options.platform)) {
    problems.push(
      `"platform" must be one of local, aws, google, http; got ${JSON.stringify(options.platform)}`,
    );
  }
  const deps = options.dependencies;
  if (
    deps !== undefined &&
    (typeof deps !== "object" || deps === null || Object.values(deps).some((v) => typeof v !== "string"))
  ) {
    problems.push(`"dependencies" must map package names to version strings, like { "lodash": "^4.17.21" }`);
  }
  if (options.config !== undefined && (typeof options.config !== "object" || options.config === null)) {
    problems.push(`"config" must be an object of platform knobs`);
  }
  if (problems.length) throw new ConfigError(problems);
}

/** Callables for functions deployed earlier, from state.json, without their source. */
export function loadedCallable(name: string, workspace = workspaceDir()): CloudFunction | null {
  const state = readState(functionPaths(name, workspace).state);
  if (!state) return null;
  const deployed = { platform: state.platform, config: state.config, hash: state.hash, workspace };
  return toCallable(new FunctionHandle(name, { source: null, options: {}, deployed }));
}
