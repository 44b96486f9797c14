import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.FAASLAB_CHROMIUM ?? "/usr/bin/chromium";

export interface DrawnPlot {
  index: number;
  /** plotly's main SVG is present. */
  svg: boolean;
  /** Data traces drawn (bars, lines, boxes, scatter points). */
  traces: number;
}

/**
 * Opens an HTML file in headless Chromium (Debian's), waits for plotly to draw, reports every plot
 * and saves a full-page screenshot.
 */
export async function plotsIn(htmlFile: string, screenshot: string): Promise<DrawnPlot[]> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: run scripts/ensure-system.sh (Debian's chromium)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: "load" });
    // Plots wait for window.Plotly and draw asynchronously: give them a bounded moment.
    await page.waitForSelector(".js-plotly-plot .main-svg", { timeout: 15000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshot, fullPage: true });
    return await page.$$eval(".js-plotly-plot", (plots) =>
      plots.map((plot, index) => ({
        index,
        svg: plot.querySelector(".main-svg") !== null,
        traces: plot.querySelectorAll("g.trace, g.points path, path.box").length,
      })),
    );
  } finally {
    await browser.close();
  }
}
