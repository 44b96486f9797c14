/** The stats module: pure functions over plain arrays (no dataframe needed). */
import { compare } from "./compare";
import { cost } from "./cost";
import { mannWhitney } from "./mann-whitney";
import { percentile } from "./percentile";
import { summary } from "./summary";
import { tTest } from "./ttest";

export const stats = { summary, percentile, tTest, mannWhitney, compare, cost };

export { summary, percentile, tTest, mannWhitney, compare, cost };
export type { Sample } from "./sample";
export type { Summary, SummaryOptions } from "./summary";
export type { Alternative, TTestOptions, TTestResult } from "./ttest";
export type { MannWhitneyOptions, MannWhitneyResult } from "./mann-whitney";
export type { ColumnSource, Comparison, CompareOptions, SampleSource } from "./compare";
export type { Magnitude } from "./effect-size";
export type { CostBreakdown, CostOptions, CostResult, CostRow } from "./cost";
export type { AwsLambdaPrices, CloudRunPrices, PriceTable } from "./prices";
