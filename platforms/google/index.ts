import * as path from "node:path";
import { definePlatform } from "../../lib/define-platform";
import { googleFunctionId } from "./names";
import { GooglePlatform } from "./platform";
import { googleSchema, type GoogleConfig } from "./schema";

export { GooglePlatform, type GooglePlatformOptions } from "./platform";
export type { ClientOptions } from "./clients";
export type { GoogleRef } from "./config";
export { googleSchema, effectiveCpu, type GoogleConfig } from "./schema";
export { googleFunctionId } from "./names";
export { zipSource, packageJson } from "./zip";

/**
 * Cloud Run functions (Cloud Functions 2nd gen). Credentials are Application Default Credentials;
 * for an emulator set `endpoint` (calls then go without credentials unless
 * GOOGLE_APPLICATION_CREDENTIALS is set). The SDK is loaded on first use, not here.
 */
export const platformModule = definePlatform({
  name: "google",
  schema: googleSchema,
  capabilities: ["deploy", "reconfigure", "forceColdStart", "list", "remove"],
  shimEntry: path.join(__dirname, "shim", "handler.js"),
  buildTarget: (config) =>
    `node${/^nodejs(\d+)/.exec(String((config as GoogleConfig).runtime))?.[1] ?? "22"}`,
  // Google's ids are lowercase with "-": other names map deterministically (names.ts).
  resourceName: googleFunctionId,
  create: (context) => new GooglePlatform({ clock: context.clock }),
});
