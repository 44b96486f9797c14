/** lib/map: map, pipeline, parallel, sequential — chunks → invocations → results in order. */
export { map } from "./map";
export type { MapOptions } from "./options";
export { MapResult } from "./result";
export { MapError } from "./map-error";
export type { ChunkFailure } from "./map-error";
export type { MapReport, StepReport } from "./report";
export { pipeline } from "./pipeline";
export type { Pipeline, PipelineRunOptions } from "./pipeline";
export { PipelineResult } from "./pipeline-result";
export type { PipelineReport, PassReport } from "./pipeline-result";
export { parallel, sequential } from "./steps";
export type { ParallelOptions, ParallelStep, SequentialStep, PipelineStep } from "./steps";
export type { MapProgress } from "./progress";
