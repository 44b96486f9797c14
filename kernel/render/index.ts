/** Picks the renderer for a value: the rich (HTML) form and a one-line text/plain form, or null. */
import { dataFrameText, isDataFrame, isSeries, renderDataFrame, renderSeries } from "./dataframe";
import { errorText, isFaasLabError, renderError } from "./error";
import { experimentResultText, isExperimentResult, renderExperimentResult } from "./result";
import { isMapResult, isPipelineResult, renderMapResult, renderPipelineResult } from "./map";
import {
  isSummary,
  isSummaryGroups,
  isSummaryRecord,
  renderSummary,
  renderSummaryGroups,
  renderSummaryRecord,
  summaryText,
} from "./summary";
import {
  isComparison,
  isMannWhitneyResult,
  isTTestResult,
  renderComparison,
  renderMannWhitney,
  renderTTest,
} from "./tests";

export interface Rendered {
  html: string;
  text: string;
}

/** Most specific first: a Comparison contains t-test and summary shapes. */
export function renderValue(value: unknown): Rendered | null {
  if (isExperimentResult(value))
    return { html: renderExperimentResult(value), text: experimentResultText(value) };
  if (isMapResult(value)) return { html: renderMapResult(value), text: value.toString() };
  if (isPipelineResult(value)) return { html: renderPipelineResult(value), text: value.toString() };
  if (isFaasLabError(value)) return { html: renderError(value), text: errorText(value) };
  if (isDataFrame(value)) return { html: renderDataFrame(value), text: dataFrameText(value) };
  if (isSeries(value)) return { html: renderSeries(value), text: `Series (${value.values.length} values)` };
  if (isComparison(value)) return { html: renderComparison(value), text: value.verdict };
  if (isTTestResult(value)) return { html: renderTTest(value), text: `t-test t=${value.t} p=${value.p}` };
  if (isMannWhitneyResult(value)) {
    return { html: renderMannWhitney(value), text: `Mann-Whitney U=${value.U} p=${value.p}` };
  }
  if (isSummary(value)) return { html: renderSummary(value), text: summaryText(value) };
  if (isSummaryRecord(value)) {
    return { html: renderSummaryRecord(value), text: `Summaries of ${Object.keys(value).join(", ")}` };
  }
  if (isSummaryGroups(value)) return { html: renderSummaryGroups(value), text: `${value.length} groups` };
  return null;
}
