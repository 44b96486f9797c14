/** faaslab's public API: re-exports only. */
export { cloudFunction } from "./function/cloud-function";
export type { CloudFunction, CloudFunctionOptions, UserFunction } from "./function/cloud-function";
export { reconfigure, forceColdStart } from "./function/reconfigure";
export { loadFunctions, useFunction } from "./function/loader";
export { configure, shutdown } from "./session";
export type { SessionOptions } from "./session";
export { Inspector } from "./runtime/inspector";
export type { FunctionContext } from "./runtime/handler";
export type { InvocationRecord } from "./experiment/record";
export type { Deployment, PlatformName, PlatformConfig, InvokeOptions } from "./platform";
export { FaasLabError, ConfigError, FunctionError } from "./errors";
export type { ErrorPhase } from "./errors";
