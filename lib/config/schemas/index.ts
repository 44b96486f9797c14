import type { PlatformName } from "../../platform";
import type { ConfigSchema } from "../schema";
import { awsSchema } from "./aws";
import { localSchema } from "./local";

/** One schema per platform; a platform without one cannot be configured yet. */
export const schemas: Partial<Record<PlatformName, ConfigSchema>> = {
  local: localSchema,
  aws: awsSchema,
};
