import { buildKeys, type ConfigSchema } from "./config/schema";
import type { PlatformModule } from "./platform";

/** A platform's module with what lib derives from its schema filled in (its build keys). */
export function definePlatform<S extends ConfigSchema>(
  spec: Omit<PlatformModule<S>, "buildKeys">,
): PlatformModule<S> {
  return { ...spec, buildKeys: buildKeys(spec.schema) };
}
