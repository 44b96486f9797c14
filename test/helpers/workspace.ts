import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A fresh, empty directory under the OS temp dir; remove it with removeDir() in an after hook. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `faaslab-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** functions/<name>/… paths of a workspace, as the tests look at them from outside. */
export function functionFiles(workspace: string, name: string) {
  const dir = path.join(workspace, "functions", name);
  return {
    dir,
    state: path.join(dir, "state.json"),
    artifact: path.join(dir, "build", "index.js"),
    deployLog: path.join(dir, "logs", "deploy.log"),
  };
}

export interface StateFile {
  hash: string;
  config: Record<string, unknown>;
  deployment: { ref: Record<string, unknown> };
}

export function readStateFile(workspace: string, name: string): StateFile {
  return JSON.parse(fs.readFileSync(functionFiles(workspace, name).state, "utf8")) as StateFile;
}

/** How many deploys (builds) the deploy log records for `name`. */
export function deployCount(workspace: string, name: string): number {
  let text: string;
  try {
    text = fs.readFileSync(functionFiles(workspace, name).deployLog, "utf8");
  } catch {
    return 0;
  }
  return text.split("\n").filter((line) => line.includes(`deploy ${name} to`)).length;
}

/** The compiled public API (dist/lib), for scripts run in separate node processes. */
export function compiledLib(): string {
  // This file is dist/test/helpers/workspace.js once compiled.
  return path.resolve(__dirname, "..", "..", "lib");
}
