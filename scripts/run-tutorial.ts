/**
 * `make run`: executes notebooks/01-getting-started.ipynb headless on the local platform and writes
 * the executed notebook and its HTML to notebooks/out/.
 */
import * as path from "node:path";
import { runNotebook } from "../kernel/run-notebook";

async function main(): Promise<void> {
  const root = path.resolve(__dirname, "..", "..");
  const names = process.argv.slice(2).length ? process.argv.slice(2) : ["01-getting-started"];
  for (const name of names) {
    const notebook = path.join(root, "notebooks", `${name}.ipynb`);
    const out = path.join(root, "notebooks", "out", `${name}.ipynb`);
    const html = path.join(root, "notebooks", "out", `${name}.html`);
    console.log(`executing ${path.relative(root, notebook)} with the faaslab kernel…`);
    const started = Date.now();
    const result = await runNotebook(notebook, { out, html });
    if (!result.ok) {
      process.stderr.write(result.stderr);
      process.exitCode = 1;
      return;
    }
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  executed notebook: ${out}`);
    console.log(`  HTML:              ${html}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
