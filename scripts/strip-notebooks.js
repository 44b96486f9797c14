#!/usr/bin/env node
// Removes outputs and execution counts from notebooks/*.ipynb (outputs are never committed).
"use strict";
const { readdirSync, readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const dir = path.resolve(__dirname, "..", "notebooks");
for (const name of readdirSync(dir).filter((n) => n.endsWith(".ipynb"))) {
  const file = path.join(dir, name);
  const nb = JSON.parse(readFileSync(file, "utf8"));
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
  console.log(`stripped ${path.relative(process.cwd(), file)}`);
}
