/** Standalone offline HTML for figures: plotly.js inlined, no network needed to view it. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Figure } from "./figure";

let bundle: string | null = null;

/**
 * plotly.js-dist-min's source, safe to put inside <script>…</script> (read as text: the bundle
 * targets browsers and `require` of it fails in Node). Read once per process, ~4.8 MB.
 */
export function plotlyBundle(): string {
  bundle ??= fs
    .readFileSync(require.resolve("plotly.js-dist-min"), "utf8")
    .replace(/<\/script/gi, "<\\/script");
  return bundle;
}

/** The figure as JSON that can sit inside a <script> (every `<` escaped, so no `</script>` or `<!--`). */
export function figureJSON(fig: Figure): string {
  const spec = { data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} };
  return JSON.stringify(spec)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export interface SaveOptions {
  /** The page's <title>; defaults to the figure's title. */
  title?: string;
}

/** The complete page: plotly inlined once, then one div and the call that draws the figure into it. */
export function figureHTML(fig: Figure, options: SaveOptions = {}): string {
  const title = options.title ?? fig.layout.title?.text ?? "faaslab figure";
  const height = typeof fig.layout.height === "number" ? fig.layout.height : 450;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHTML(title)}</title>`,
    "<style>body{margin:0;padding:8px;background:#ffffff}</style>",
    `<script>${plotlyBundle()}</script>`,
    "</head>",
    "<body>",
    `<div id="faaslab-figure" style="width:100%;height:${height}px"></div>`,
    `<script>(function(){var fig=${figureJSON(fig)};` +
      'Plotly.newPlot("faaslab-figure",fig.data,fig.layout,fig.config);})();</script>',
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Writes the figure as a standalone HTML file (parent folders created); returns its absolute path. */
export function save(fig: Figure, file: string, options: SaveOptions = {}): string {
  if (!fig || !Array.isArray(fig.data)) throw new TypeError("plot.save: expected a figure { data, layout }");
  if (typeof file !== "string" || file === "")
    throw new TypeError('plot.save: expected a file path like "plot.html"');
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, figureHTML(fig, options));
  return target;
}

function escapeHTML(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}
