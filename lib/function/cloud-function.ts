import { ConfigError } from "../errors";
import type { InvocationRecord } from "../experiment/record";
import type { ControlOptions, Deployment, InvokeOptions, PlatformConfig } from "../platform";
import { isPlatformName, unknownPlatformProblem, type PlatformChoice } from "../registry";
import { windowsReservedProblem } from "../reserved-names";
import type { FunctionContext } from "../runtime/handler";
import { workspaceDir } from "../settings";
import { FunctionHandle } from "./handle";
import { captureSource } from "./source";
import { readState } from "./state";
import { functionPaths } from "./workspace";

export { FunctionHandle } from "./handle";

export interface CloudFunctionOptions {
  /** Where it runs; default: configure({ platform }), then faaslab.config.json, then the default platform. */
  platform?: PlatformChoice;
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
  deploy(options?: { force?: boolean } & Partial<ControlOptions>): Promise<Deployment>;
  /** Deletes the deployed function (and its state.json); logs and experiments stay. */
  remove(options?: Partial<ControlOptions>): Promise<void>;
  /** The effective config the next call runs with. */
  config(): PlatformConfig;
  readonly functionName: string;
  readonly platform: string;
}

export type UserFunction<P, R> = (payload: P, context: FunctionContext) => R | Promise<R>;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Wraps a handle in the callable users hold. */
export function toCallable<P, R>(handle: FunctionHandle): CloudFunction<P, R> {
  const callable = ((payload: P) => handle.call(payload)) as CloudFunction<P, R>;
  Object.defineProperties(callable, {
    name: { value: handle.name },
    functionName: { value: handle.name, enumerable: true },
    platform: { get: () => handle.prepare().platform, enumerable: true },
  });
  callable.invoke = (payload, options) => handle.invoke(payload, options);
  callable.deploy = (options) => handle.deploy(options);
  callable.remove = (options) => handle.remove(options);
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
  const spec = {
    kind: "source" as const,
    source: captureSource(fn),
    platform: options.platform,
    config: options.config,
    dependencies: options.dependencies ?? {},
  };
  return toCallable(new FunctionHandle(name, spec));
}

function validateDefinition(
  name: unknown,
  fn: unknown,
  options: CloudFunctionOptions,
): asserts name is string {
  const problems: string[] = [];
  if (typeof fn !== "function") problems.push(`expected a function, got ${typeof fn}`);
  problems.push(...nameProblems(name));
  if (options.platform !== undefined && !isPlatformName(options.platform)) {
    problems.push(unknownPlatformProblem(options.platform));
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

/** The problems with a function name (empty when it is fine); shared by every way to name a function. */
export function nameProblems(name: unknown): string[] {
  if (typeof name !== "string" || name === "")
    return ['the function has no name: use cloudFunction("name", fn) or a named function'];
  if (!NAME.test(name))
    return [`name "${name}" must start with a letter and use only letters, digits, "_" and "-" (at most 64)`];
  const reserved = windowsReservedProblem(name);
  if (reserved) return [`name "${name}" ${reserved}`];
  return [];
}

/**
 * A callable for a function faaslab does not build (a URL, a service deployed by other means): the
 * platform attaches to it instead of deploying. Platforms such as http build their public API on it.
 */
export function externalFunction<P = unknown, R = unknown>(
  name: string,
  platform: string,
  config: PlatformConfig,
): CloudFunction<P, R> {
  const problems = nameProblems(name);
  if (!isPlatformName(platform)) problems.push(unknownPlatformProblem(platform));
  if (problems.length) throw new ConfigError(problems);
  return toCallable(new FunctionHandle(name, { kind: "external", platform, config }));
}

/**
 * Callables for functions deployed earlier, from state.json, without their source. The name is checked
 * as a defined one is (a name like "../x" would read a state file outside the workspace); a state file
 * about another function is not this one's.
 */
export function loadedCallable(name: string, workspace = workspaceDir()): CloudFunction | null {
  const problems = nameProblems(name);
  if (problems.length) throw new ConfigError(problems);
  const state = readState(functionPaths(name, workspace).state);
  if (!state || state.name !== name) return null;
  const spec = {
    kind: "loaded" as const,
    platform: state.platform,
    config: state.config,
    hash: state.hash,
    workspace,
  };
  return toCallable(new FunctionHandle(name, spec));
}
