#!/usr/bin/env node
// Runs the compiled tests (dist/test/...) of the given folders with Node's built-in test runner.
// Node 20's runner takes no globs, so this finds the files; its closing summary is what CI reads.
"use strict";
const { readdirSync, statSync, existsSync } = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const folders = process.argv.slice(2);
if (folders.length === 0) {
  console.error("usage: run-tests.js test/unit [test/integration …]");
  process.exit(2);
}

function find(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return find(full);
    return name.endsWith(".test.js") ? [full] : [];
  });
}

const files = folders.flatMap((folder) => find(path.join(root, "dist", folder))).sort();
if (files.length === 0) {
  console.error(`no compiled tests under dist/{${folders.join(",")}}: run npm run build first`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
