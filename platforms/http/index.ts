import { definePlatform } from "../../lib/define-platform";
import { HttpPlatform } from "./platform";
import { httpSchema } from "./schema";

export { HttpPlatform, type HttpPlatformOptions } from "./platform";
export { httpSchema, type HttpConfig } from "./schema";
export { parseServerTiming, serverTimingRuntimeMs } from "./server-timing";

/**
 * Any HTTP endpoint (Cloud Run, Knative, OpenFaaS, a Lambda function URL, a `serve`d function) as a
 * function faaslab did not build: it attaches to a URL, so it cannot deploy, reconfigure memory,
 * force cold starts, list or remove. The auth SDKs load only when a function asks for them.
 */
export const platformModule = definePlatform({
  name: "http",
  schema: httpSchema,
  capabilities: ["attach"],
  shimEntry: null,
  // It builds nothing; the target is only asked of platforms that do.
  buildTarget: () => "node22",
  resourceName: (functionName) => functionName,
  create: (context) => new HttpPlatform({ clock: context.clock }),
});
