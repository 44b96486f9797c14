import { FaasLabError } from "./errors";
import { PLATFORM_NAMES, type Platform, type PlatformModule, type PlatformName } from "./platform";

/**
 * Name → lazy loader. Nothing is required until a platform is used, so a user without a cloud SDK
 * installed can still use `local`. An entry is added here when its adapter lands.
 */
const loaders: Partial<Record<PlatformName, () => PlatformModule>> = {
  local: () => require("../platforms/local").platformModule as PlatformModule,
  aws: () => requireSdkPlatform("../platforms/aws", "@aws-sdk/client-lambda"),
};

/** A cloud adapter whose SDK may be missing: say which package to install instead of a stack. */
function requireSdkPlatform(modulePath: string, sdk: string): PlatformModule {
  try {
    return require(modulePath).platformModule as PlatformModule;
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException)?.code === "MODULE_NOT_FOUND" && String(e).includes(sdk);
    if (!missing) throw e;
    throw new FaasLabError(`the ${sdk} package is not installed`, {
      code: "PLATFORM_UNAVAILABLE",
      phase: "config",
      cause: e,
      hint: `npm install ${sdk} next to the notebook (or in the faaslab package)`,
    });
  }
}

const instances = new Map<PlatformName, Platform>();

export function isPlatformName(name: unknown): name is PlatformName {
  return typeof name === "string" && (PLATFORM_NAMES as readonly string[]).includes(name);
}

export function platformModule(name: PlatformName): PlatformModule {
  const load = loaders[name];
  if (!load) {
    throw new FaasLabError(`platform "${name}" is not available in this version of faaslab`, {
      code: "PLATFORM_UNAVAILABLE",
      phase: "config",
      platform: name,
      hint: `available platforms: ${Object.keys(loaders).join(", ")}`,
    });
  }
  return load();
}

/** One Platform object per name per process: it owns the process-wide resources (instances, clients). */
export function platformFor(name: PlatformName): Platform {
  let platform = instances.get(name);
  if (!platform) {
    platform = platformModule(name).create();
    instances.set(name, platform);
  }
  return platform;
}

export async function shutdownPlatforms(): Promise<void> {
  const all = [...instances.values()];
  instances.clear();
  await Promise.all(all.map((p) => p.shutdown?.()));
}
