import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { ExperimentMeta } from "../experiment/meta";
import { instanceIdsOf, OverviewCounter } from "../experiment/overview";
import { ExperimentResult } from "../experiment/result";
import type { Row } from "../experiment/row";
import { isPriced } from "../experiment/run-context";
import { hostInfo, openExperiment, type ExperimentWriter } from "../experiment/store";
import { cost } from "../stats/cost";
import type { Deployment } from "../platform";
import { packageRoot } from "../paths";

/**
 * A parallel step's rows, journaled as an experiment's are (functions/<fn>/experiments/<name>/:
 * meta.json, runs.jsonl as each invocation completes, results.csv at the end), so load(), the
 * summaries and the plots read a map like any experiment.
 */
export class StepJournal {
  private readonly writer: ExperimentWriter;
  private readonly overview = new OverviewCounter();
  private readonly functionName: string;

  constructor(
    private readonly workspace: string,
    deployment: Deployment,
    name: string,
    overwrite: boolean,
    options: Record<string, unknown>,
  ) {
    this.functionName = deployment.functionName;
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
      version: string;
    };
    this.writer = openExperiment({
      workspace,
      functionName: deployment.functionName,
      name,
      overwrite,
      meta: {
        name,
        functionName: deployment.functionName,
        platform: deployment.platform,
        options,
        config: deployment.config,
        tags: {},
        versions: { faaslab: pkg.version, node: process.version },
        host: hostInfo(),
        startedAt: new Date().toISOString(),
      },
    });
  }

  /** Prices the row where the platform has a price table, then journals it. */
  append(row: Row): void {
    const platform = String(row.platform);
    if (isPriced(platform)) row.costUsd = cost([row], platform).perInvocationUsd[0] ?? null;
    this.writer.append(row);
    this.overview.add(row);
  }

  /** Ends the run (status "aborted" when its signal stopped it) and reads it back as an ExperimentResult. */
  finish(aborted: boolean, failure: unknown = null): ExperimentResult {
    if (failure !== null) {
      try {
        this.writer.finish("failed", null, failure instanceof Error ? failure.message : String(failure));
      } catch {
        // the step's own error is the one to report
      }
      throw failure;
    }
    const earlier = instanceIdsOf(this.workspace, this.functionName, this.writer.dir);
    const rows = this.writer.finish(
      aborted ? "aborted" : "complete",
      this.overview.overview(earlier),
      aborted ? "aborted by its AbortSignal" : null,
    );
    const meta = JSON.parse(readFileSync(path.join(this.writer.dir, "meta.json"), "utf8")) as ExperimentMeta;
    return new ExperimentResult(rows, [meta], { warnings: this.writer.warnings });
  }
}
