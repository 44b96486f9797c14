/** faaslab's public API: re-exports only. */
export { cloudFunction } from "./function/cloud-function";
export type { CloudFunction, CloudFunctionOptions, UserFunction } from "./function/cloud-function";
export { httpFunction } from "./function/http-function";
export type { HttpFunctionOptions, HttpAuth } from "./function/http-function";
export { reconfigure, forceColdStart } from "./function/reconfigure";
export { loadFunctions, useFunction } from "./function/loader";
export { listDeployed, removeAll } from "./function/cleanup";
export type {
  DeployedFunction,
  DeployedFunctions,
  ListDeployedOptions,
  ListProblem,
  RemoveAllOptions,
  RemoveAllResult,
} from "./function/cleanup";
export { configure, shutdown } from "./session";
export { serve } from "./serve";
export type { ServeOptions, FunctionServer } from "./serve";
export type { SessionOptions } from "./session";
export { experiment } from "./experiment/runner";
export { sweep } from "./experiment/sweep";
export type { SweepOptions } from "./experiment/sweep";
export type { ExperimentOptions } from "./experiment/options";
export { load, listExperiments } from "./experiment/load";
export type { LoadOptions, StoredExperiment, StoredRun } from "./experiment/load";
export { ExperimentResult } from "./experiment/result";
export type { Row } from "./experiment/row";
export type { ExperimentMeta, ExperimentOverview } from "./experiment/meta";
export { isPayloadDigest } from "./experiment/stored-payloads";
export type { PayloadDigest } from "./experiment/stored-payloads";
export { experimentEvents } from "./experiment/progress";
export type { ExperimentProgress } from "./experiment/progress";
export { map, pipeline, parallel, sequential, MapError, MapResult, PipelineResult } from "./map";
export type {
  MapOptions,
  MapReport,
  StepReport,
  ChunkFailure,
  Pipeline,
  PipelineRunOptions,
  PipelineReport,
  ParallelOptions,
  PipelineStep,
  MapProgress,
} from "./map";
export { watchInstances } from "./instances/watch";
export type { InstanceWatcher, WatchInstancesOptions } from "./instances/watch";
export type { TimelineSample } from "./experiment/instance-timeline";
export { stats } from "./stats";
export type { Summary, TTestResult, MannWhitneyResult, Comparison, CostResult } from "./stats";
export { plot } from "./plot";
export { display } from "./display";
export type { Figure, PlotOptions } from "./plot";
export { Inspector } from "./runtime/inspector";
export type { FunctionContext } from "./runtime/handler";
export type { InvocationRecord } from "./experiment/record";
export type {
  Deployment,
  PlatformName,
  PlatformConfig,
  InvokeOptions,
  ControlOptions,
  Logger,
  InstanceSample,
} from "./platform";
export type { PlatformChoice } from "./registry";
export { FaasLabError, ConfigError, FunctionError } from "./errors";
export type { ErrorPhase } from "./errors";

// Inside a tslab kernel: HTML tables, plots, live progress, interrupts (kernel/ is the only tslab-aware code).
if (typeof (globalThis as { __tslab__?: unknown }).__tslab__ === "object")
  require("../kernel/notebook").install();
