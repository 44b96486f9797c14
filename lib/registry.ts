import { systemClock } from "./clock";
import { FaasLabError, type ErrorPhase } from "./errors";
import type { Capability, Platform, PlatformModule } from "./platform";
import { workspaceDir } from "./settings";

/**
 * Platform name → lazy loader: one line per platform, nothing required until it is used, so a user
 * without a cloud SDK installed can still use the default. The first entry is the default platform.
 */
const builtIn = {
  local: () => load("../platforms/local"),
  aws: () => load("../platforms/aws", "@aws-sdk/client-lambda"),
  http: () => load("../platforms/http"),
  google: () => load("../platforms/google", "@google-cloud/functions"),
};

/** The names of the built-in platforms, for option types. */
export type BuiltInPlatform = keyof typeof builtIn;
/** A built-in name (offered by editors) or one added with registerPlatform(). */
export type PlatformChoice = BuiltInPlatform | (string & {});

const loaders = new Map<string, () => PlatformModule>(Object.entries(builtIn));
/** defaults.json of platforms that live outside platforms/<name>/ (registered at run time). */
const defaultsFiles = new Map<string, string>();
const modules = new Map<string, PlatformModule>();
const instances = new Map<string, Platform>();

/** The platform used when neither the function, configure() nor faaslab.config.json names one. */
export const DEFAULT_PLATFORM = Object.keys(builtIn)[0] as BuiltInPlatform;

/**
 * Adds a platform at run time (one developed outside this package, or a test double). Its knobs'
 * defaults come from `defaultsFile` (a built-in platform's are platforms/<name>/defaults.json).
 */
export function registerPlatform(name: string, loader: () => PlatformModule, defaultsFile: string): void {
  loaders.set(name, loader);
  defaultsFiles.set(name, defaultsFile);
  modules.delete(name);
  instances.delete(name);
}

/** Where a run-time registered platform keeps its defaults.json; undefined for a built-in one. */
export function registeredDefaultsFile(name: string): string | undefined {
  return defaultsFiles.get(name);
}

export function platformNames(): string[] {
  return [...loaders.keys()];
}

export function isPlatformName(name: unknown): name is string {
  return typeof name === "string" && loaders.has(name);
}

/** The problem to report for a value that names no registered platform. */
export function unknownPlatformProblem(value: unknown): string {
  return `"platform" must be one of ${platformNames().join(", ")}; got ${JSON.stringify(value)}`;
}

export function platformModule(name: string): PlatformModule {
  let module = modules.get(name);
  if (!module) {
    const loader = loaders.get(name);
    if (!loader) {
      throw new FaasLabError(`platform "${name}" is not available in this version of faaslab`, {
        code: "PLATFORM_UNAVAILABLE",
        phase: "config",
        platform: name,
        hint: `available platforms: ${platformNames().join(", ")}`,
      });
    }
    module = loader();
    modules.set(name, module);
  }
  return module;
}

/** One Platform object per name per process: it owns the process-wide resources (instances, clients). */
export function platformFor(name: string): Platform {
  let platform = instances.get(name);
  if (!platform) {
    platform = platformModule(name).create({
      clock: systemClock,
      log: () => undefined,
      workspace: workspaceDir,
    });
    instances.set(name, platform);
  }
  return platform;
}

/** The platform object, after checking it offers `operation`; else a FaasLabError with code UNSUPPORTED. */
export function platformWith<C extends Capability>(
  name: string,
  operation: C,
  phase: ErrorPhase = "deploy",
): Platform & Required<Pick<Platform, C>> {
  const module = platformModule(name);
  const platform = platformFor(name);
  if (!module.capabilities.includes(operation) || typeof platform[operation] !== "function") {
    const offered = module.capabilities.length ? module.capabilities.join(", ") : "invoke only";
    throw new FaasLabError(`the ${name} platform cannot ${describe(operation)}`, {
      code: "UNSUPPORTED",
      phase,
      platform: name,
      hint: `${name} offers: ${offered}`,
    });
  }
  return platform as Platform & Required<Pick<Platform, C>>;
}

function describe(operation: Capability): string {
  switch (operation) {
    case "deploy":
      return "deploy a function built by faaslab";
    case "attach":
      return "run a function it did not build";
    case "reconfigure":
      return "change a deployed function's config (reconfigure)";
    case "forceColdStart":
      return "force a cold start (forceColdStart)";
    case "list":
      return "list what faaslab deployed (list)";
    case "remove":
      return "remove a deployed function (remove)";
    case "watchInstances":
      return "report its instances over time (watchInstances)";
  }
}

export async function shutdownPlatforms(): Promise<void> {
  const all = [...instances.values()];
  instances.clear();
  await Promise.all(all.map((p) => p.shutdown?.()));
}

/** A platform folder's module; for a cloud SDK that is missing, say which package to install. */
function load(modulePath: string, sdk?: string): PlatformModule {
  try {
    return require(modulePath).platformModule as PlatformModule;
  } catch (e) {
    const missing =
      sdk && (e as NodeJS.ErrnoException)?.code === "MODULE_NOT_FOUND" && String(e).includes(sdk);
    if (!missing) throw e;
    throw new FaasLabError(`the ${sdk} package is not installed`, {
      code: "PLATFORM_UNAVAILABLE",
      phase: "config",
      cause: e,
      hint: `npm install ${sdk} next to the notebook (or in the faaslab package)`,
    });
  }
}
