/**
 * Shows plotly figures in the notebook (what renders where: kernel/README.md): ONE display_data holding
 * - application/vnd.plotly.v1+json: the spec itself (JupyterLab with jupyterlab-plotly, VS Code),
 * - text/html: plotly.js inlined the first time in the kernel session, then only a div and a script
 *   that waits for window.Plotly (classic Notebook, nbconvert HTML, JupyterLab without the extension),
 * - text/plain: a one-line description.
 * No CDN: the machines running notebooks have no outside network.
 */
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import type { Figure } from "../lib/plot/figure";
import { figureJSON, plotlyBundle } from "../lib/plot/html";

/** "once" (default) per kernel session; "always" for front ends that isolate each output (Colab-like). */
export type BundleMode = "once" | "always" | "never";

export interface PlotRendererOptions {
  /** plotly.js source (default: lib/plot's plotlyBundle()); any `</script` in it is escaped here. */
  bundle?: () => string;
  /** Sends the MIME bundle; returns false when nothing was sent (then the bundle counts as not sent). */
  send: (data: Record<string, unknown>) => boolean;
  newId?: () => string;
  mode?: BundleMode;
}

/** Duck-typed: what the plot helpers return ({ data: [...], layout: {...} }). */
export function isFigure(value: unknown): value is Figure {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { data?: unknown; layout?: unknown };
  return Array.isArray(v.data) && typeof v.layout === "object" && v.layout !== null;
}

/** The spec as the plotly MIME renderer wants it: layout is required, config optional. */
export function plotlySpec(fig: Figure): { data: unknown[]; layout: object; config: object } {
  return { data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} };
}

/** The div and the script that draws into it once window.Plotly exists (it may arrive later). */
export function plotDivHtml(fig: Figure, id: string): string {
  const height = typeof fig.layout?.height === "number" ? fig.layout.height : 450;
  return (
    `<div id="${id}" class="faaslab-plot" style="width:100%;height:${height}px"></div>\n` +
    `<script type="text/javascript">(function(){var fig=${figureJSON(fig)};var tries=0;` +
    `function draw(){if(!window.Plotly){if(tries++<400)setTimeout(draw,50);return;}` +
    `var el=document.getElementById("${id}");if(el)window.Plotly.newPlot(el,fig.data,fig.layout,fig.config);}` +
    `draw();})();</script>`
  );
}

/** One line: the figure's own inspect form (lib/plot gives one) cut to 200 characters. */
export function figureText(fig: Figure): string {
  const text = inspect(fig, { depth: 0, breakLength: Infinity });
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export class PlotRenderer {
  private bundleSent = false;
  private bundleText: string | null = null;
  private readonly bundle: () => string;
  private readonly newId: () => string;
  mode: BundleMode;

  constructor(private readonly options: PlotRendererOptions) {
    this.bundle = options.bundle ?? plotlyBundle;
    this.newId = options.newId ?? (() => `faaslab-plot-${randomBytes(6).toString("hex")}`);
    this.mode = options.mode ?? "once";
  }

  /** The MIME bundle of one figure; `withLibrary` puts plotly.js in front of the div. */
  mimeBundle(fig: Figure, withLibrary: boolean): Record<string, unknown> {
    const library = withLibrary ? `<script type="text/javascript">${this.library()}</script>\n` : "";
    return {
      "application/vnd.plotly.v1+json": plotlySpec(fig),
      "text/html": library + plotDivHtml(fig, this.newId()),
      "text/plain": figureText(fig),
    };
  }

  /** The bundle made safe inside <script>…</script> (read and escaped once). */
  private library(): string {
    this.bundleText ??= this.bundle().replace(/<\/script/gi, "<\\/script");
    return this.bundleText;
  }

  /** Sends the figure; true when it was sent. */
  show(fig: Figure): boolean {
    const withLibrary = this.mode === "always" || (this.mode === "once" && !this.bundleSent);
    const sent = this.options.send(this.mimeBundle(fig, withLibrary));
    if (sent && withLibrary && this.mode === "once") {
      this.bundleSent = true;
      this.bundleText = null; // 4.8 MB not needed again unless resendBundle()
    }
    return sent;
  }

  /**
   * Sends plotly.js alone (an output with only a script) unless it was sent already in this session:
   * a live figure's outputs are replaced many times, so the library must live in an output of its own.
   */
  ensureLibrary(): boolean {
    if (this.mode !== "once" || this.bundleSent) return true;
    const script = `<script type="text/javascript">${this.library()}</script>`;
    const sent = this.options.send({ "text/html": script, "text/plain": "" });
    if (sent) {
      this.bundleSent = true;
      this.bundleText = null;
    }
    return sent;
  }

  /** Inline plotly.js again with the next figure (e.g. after the outputs holding it were cleared). */
  resendBundle(): void {
    this.bundleSent = false;
  }
}
