import type { TestContext } from "node:test";
import type { ExperimentMeta } from "../../../lib/experiment/meta";
import { ExperimentResult } from "../../../lib/experiment/result";
import type { Row } from "../../../lib/experiment/row";
import type { Figure } from "../../../lib/plot";
import { setFigureDisplay } from "../../../lib/plot";
import { metaInput, row } from "../experiment/fixtures";

export { row };

/** A result of `rows` under one experiment name. */
export function result(rows: Row[], name = "exp"): ExperimentResult {
  const meta: ExperimentMeta = {
    ...metaInput(name),
    run: 1,
    status: "complete",
    endedAt: new Date().toISOString(),
    reason: null,
    overview: null,
  };
  return new ExperimentResult(rows, [meta]);
}

/** A trace as a plain record, to read its fields without narrowing plotly's Data union. */
export function trace(fig: Figure, i: number): Record<string, unknown> {
  return fig.data[i] as Record<string, unknown>;
}

export function axisTitle(fig: Figure, name: "xaxis" | "yaxis" | "yaxis2"): string | undefined {
  return (fig.layout[name] as { title?: { text?: string } } | undefined)?.title?.text;
}

export function titleOf(fig: Figure): string {
  return fig.layout.title?.text ?? "";
}

export function hasNoDataNote(fig: Figure): boolean {
  return (fig.layout.annotations ?? []).some((a) => a.text === "no data");
}

/** Records every figure shown during the test; the hook is removed afterwards. */
export function captureShown(t: TestContext): Figure[] {
  const shown: Figure[] = [];
  setFigureDisplay((fig) => shown.push(fig));
  t.after(() => setFigureDisplay(null));
  return shown;
}
