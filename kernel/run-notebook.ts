import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { installKernelspec } from "./kernelspec";

/** The package root (this file is dist/kernel/run-notebook.js in a build). */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

export interface RunNotebookOptions {
  /** Executed copy of the notebook (.ipynb). */
  out?: string;
  /** Standalone HTML of the executed notebook. */
  html?: string;
  /** Per-cell limit, seconds. */
  cellTimeoutS?: number;
  /** Whole-run limit, ms (the kernel is killed with the runner). */
  limitMs?: number;
}

export interface RunNotebookResult {
  ok: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A python3 that has nbclient: $FAASLAB_PYTHON, python3, or Debian's /usr/bin/python3 (pyenv shims often lack it). */
export function findJupyterPython(): string | null {
  for (const python of [process.env.FAASLAB_PYTHON, "python3", "/usr/bin/python3"]) {
    if (!python) continue;
    if (spawnSync(python, ["-c", "import nbclient, nbformat, nbconvert"], { stdio: "ignore" }).status === 0)
      return python;
  }
  return null;
}

/**
 * Makes `import … from "faaslab"` resolve from `dir` as in a user's project: a node_modules/faaslab
 * link to this package (created only where none exists).
 */
export function linkPackageInto(dir: string): void {
  const link = path.join(dir, "node_modules", "faaslab");
  mkdirSync(path.dirname(link), { recursive: true });
  try {
    if (
      lstatSync(link).isSymbolicLink() &&
      path.resolve(dir, "node_modules", readlinkSync(link)) !== PACKAGE_ROOT
    ) {
      rmSync(link);
    } else return;
  } catch {
    // no link yet
  }
  symlinkSync(PACKAGE_ROOT, link, "dir");
}

/**
 * Executes a notebook top to bottom with the faaslab kernel through real Jupyter (nbclient), in the
 * notebook's own directory, so its workspace (functions/) lands next to it.
 */
export async function runNotebook(
  notebook: string,
  options: RunNotebookOptions = {},
): Promise<RunNotebookResult> {
  const python = findJupyterPython();
  if (!python) {
    const hint =
      "install Jupyter: sudo apt-get install jupyter-notebook python3-nbclient jupyter-nbconvert python3-ipykernel";
    return { ok: false, code: null, stdout: "", stderr: `no python3 with nbclient found; ${hint}\n` };
  }
  const jupyterDir = path.join(PACKAGE_ROOT, ".faaslab-tmp", "jupyter");
  installKernelspec({ dir: path.join(jupyterDir, "kernels") });
  linkPackageInto(path.dirname(path.resolve(notebook)));
  const args = [
    path.join(PACKAGE_ROOT, "scripts", "run_notebook.py"),
    path.resolve(notebook),
    "--kernel",
    "faaslab",
  ];
  if (options.out) args.push("--out", path.resolve(options.out));
  if (options.html) args.push("--html", path.resolve(options.html));
  args.push("--timeout", String(options.cellTimeoutS ?? 300));
  const env = {
    ...process.env,
    JUPYTER_PATH: jupyterDir,
    JUPYTER_RUNTIME_DIR: path.join(jupyterDir, "runtime"),
  };
  for (const file of [options.out, options.html])
    if (file) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return run(python, args, env, options.limitMs ?? 20 * 60_000);
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  limitMs: number,
): Promise<RunNotebookResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so the time limit also stops the kernel nbclient started.
    const child = spawn(command, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[faaslab] notebook run stopped after ${limitMs} ms`;
      killGroup(child.pid);
    }, limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, code, stdout, stderr });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export function notebookExists(file: string): boolean {
  return existsSync(file) && file.endsWith(".ipynb");
}
