// Every notebook in notebooks/ runs top to bottom through real Jupyter with the faaslab kernel, and the
// executed getting-started tutorial, opened in headless Chromium, shows every plot drawn.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { findJupyterPython, runNotebook } from "../../kernel/run-notebook";
import { plotsIn } from "../helpers/browser";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
const ARTIFACTS = path.join(ROOT, "test-artifacts");
const jupyter = findJupyterPython() ? false : "no python3 with nbclient: run scripts/ensure-system.sh (Debian's Jupyter packages)";

const notebooks = readdirSync(NOTEBOOKS)
  .filter((name) => name.endsWith(".ipynb"))
  .sort();

test("notebooks/ holds the tutorials", () => {
  assert.deepEqual(notebooks, [
    "01-getting-started.ipynb",
    "02-activities.ipynb",
    "03-cloud-run-lab.ipynb",
    "04-parallel-map.ipynb",
    "05-knative-scale-to-zero.ipynb",
  ]);
});

for (const name of notebooks) {
  test(`${name} runs top to bottom in the faaslab kernel`, { skip: jupyter, timeout: 15 * 60_000 }, async () => {
    // A scratch copy: its functions/ workspace lands next to it, as next to a user's notebook.
    const dir = mkdtempSync(path.join(os.tmpdir(), "faaslab-tutorial-"));
    copyFileSync(path.join(NOTEBOOKS, name), path.join(dir, name));
    const html = path.join(dir, name.replace(/\.ipynb$/, ".html"));
    const out = path.join(dir, `executed-${name}`);
    const result = await runNotebook(path.join(dir, name), { out, html, limitMs: 14 * 60_000 });
    assert.ok(result.ok, `${name} failed (scratch dir kept: ${dir}):\n${result.stderr}`);
    assert.ok(existsSync(path.join(dir, "functions")), "the workspace is next to the notebook");
    const executed = JSON.parse(readFileSync(out, "utf8")) as { cells: { cell_type: string; outputs?: unknown[] }[] };
    const code = executed.cells.filter((c) => c.cell_type === "code");
    assert.ok(code.every((c) => Array.isArray(c.outputs)), "every code cell was executed");

    if (name.startsWith("03-")) {
      // The lab's answers are computed from the rows: local's 3 × 5 capacity must show in them.
      const text = JSON.stringify(executed);
      assert.match(text, /The second run saw 3 distinct app_instance_id values/);
      assert.match(text, /and the last 10 took/);
      assert.match(text, /CLOUD_RUN_URL is not set: skipping the Cloud Run runs/);
    }
    if (name.startsWith("01-")) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const screenshot = path.join(ARTIFACTS, name.replace(/\.ipynb$/, ".png"));
      const plots = await plotsIn(html, screenshot);
      const expected = countPlotCalls(path.join(NOTEBOOKS, name));
      assert.equal(plots.length, expected, `plots drawn in the HTML: ${JSON.stringify(plots)}`);
      for (const plot of plots) {
        assert.ok(plot.svg, `plot ${plot.index} has no plotly SVG`);
        assert.ok(plot.traces > 0, `plot ${plot.index} drew no data trace`);
      }
      assert.ok(existsSync(screenshot));
    }
    if (name.startsWith("05-")) assertScaleToZeroStory(executed);
    rmSync(dir, { recursive: true, force: true });
  });
}

/** Notebook 05's plot.instances figure: replicas rose past one, panic was marked, and they fell to zero. */
function assertScaleToZeroStory(executed: { cells: { cell_type: string; source?: unknown; outputs?: unknown[] }[] }): void {
  const cell = executed.cells.find((c) => c.cell_type === "code" && String(c.source).includes("plot.instances(r"));
  const output = (cell?.outputs ?? []).find((o) => {
    const data = (o as { data?: Record<string, unknown> }).data;
    return data !== undefined && "application/vnd.plotly.v1+json" in data;
  }) as { data: Record<string, { data: { name: string; y: number[] }[]; layout: { shapes?: { type: string }[] } }> } | undefined;
  assert.ok(output, "the plot.instances cell drew a figure");
  const spec = output.data["application/vnd.plotly.v1+json"];
  const ready = spec.data.find((t) => t.name === "ready");
  assert.ok(ready && Math.max(...ready.y) > 1, "replicas rose under 10 clients");
  assert.equal(ready.y[ready.y.length - 1], 0, "and fell back to zero");
  assert.ok((spec.layout.shapes ?? []).some((s) => s.type === "rect"), "panic mode was marked");
}

/** How many cells of a notebook call a plot helper (each should draw one figure). */
function countPlotCalls(file: string): number {
  const nb = JSON.parse(readFileSync(file, "utf8")) as { cells: { cell_type: string; source: string[] }[] };
  return nb.cells.filter((c) => c.cell_type === "code" && /\bplot\.\w+\(/.test(c.source.join(""))).length;
}
