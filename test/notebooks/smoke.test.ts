// Runs the README "hello world" as a real notebook through Jupyter (nbclient) and the faaslab kernelspec.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernelspec } from "../../kernel/kernelspec";

const RUN_LIMIT_MS = 180_000;

// Each entry is one cell: the user's example, then what tslab's compiled cells do to a function's source.
const CELLS = [
  `import { cloudFunction, reconfigure, loadFunctions, shutdown } from "faaslab";`,
  "const hello = cloudFunction(\"hello_world\", async (req: { name: string }, ctx) => ({ message: `Hello ${req.name}!` }));",
  `const first = await hello({ name: "Steve" }); console.log(JSON.stringify(first));`,
  `const rec = await hello.invoke({ name: "Ann" }); console.log(JSON.stringify({ cold: rec.coldStart, ok: !rec.failed, result: rec.result }));`,
  `await reconfigure(hello, { memory: 1024 }); const r2 = await hello.invoke({ name: "Z" }); console.log("RECONF " + JSON.stringify({ memory: r2.memoryMb, cold: r2.coldStart }));`,
  `const helper = (n: number) => n * 2;`,
  `import { randomBytes } from "crypto";`,
  `const candidates: [string, (p: { n: number }) => Promise<unknown>][] = [["uses_helper", async (p) => helper(p.n)], ["uses_import", async () => randomBytes(4).toString("hex")]];
for (const [name, fn] of candidates) {
  try { await cloudFunction(name, fn)({ n: 1 }); console.log("NOT REJECTED " + name); }
  catch (e) { console.log("REJECTED " + name + " " + e.code + " " + e.message); }
}`,
  `const own = cloudFunction("self_contained", async () => { const { randomBytes } = require("crypto"); return randomBytes(4).toString("hex").length; }); console.log("LEN " + await own(null));`,
  `console.log("LOADED " + Object.keys(loadFunctions()).join(","));`,
  `await shutdown();`,
];

/** The compiled test lives in dist/test/notebooks (or a scratch outDir), so search from both here and cwd. */
function findRepoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const pkg = path.join(dir, "package.json");
      if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "faaslab") return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`no package.json named "faaslab" above ${__dirname} or ${process.cwd()}`);
}

/** `python3` may be a pyenv/venv shim without Jupyter while the distro's python has it; try both. */
function findPython(): string | undefined {
  const candidates = [process.env.FAASLAB_PYTHON, "python3", process.platform === "win32" ? "python" : "/usr/bin/python3"];
  for (const py of candidates) {
    if (!py) continue;
    const probe = spawnSync(py, ["-c", "import nbclient, nbformat"], { stdio: "ignore" });
    if (probe.status === 0) return py;
  }
  return undefined;
}

function notebookJson(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "faaslab", display_name: "TypeScript (faaslab)", language: "typescript" },
      language_info: { name: "typescript" },
    },
    cells: cells.map((source, i) => ({
      id: `cell-${i}`,
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  });
}

interface RunResult {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Spawns in its own process group so a timeout also kills the kernel that nbclient started. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, limitMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, detached: process.platform !== "win32" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[smoke test] killed after ${limitMs} ms`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface NbOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
}

function streamText(nbFile: string, name: "stdout" | "stderr"): string[] {
  const nb = JSON.parse(fs.readFileSync(nbFile, "utf8")) as { cells: { outputs?: NbOutput[] }[] };
  return nb.cells.map((c) =>
    (c.outputs ?? [])
      .filter((o) => o.output_type === "stream" && o.name === name)
      .map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? "")))
      .join(""),
  );
}

const python = findPython();

test(
  "hello_world notebook runs in the faaslab kernel",
  {
    timeout: RUN_LIMIT_MS + 10_000,
    skip: python
      ? false
      : "python3 cannot import nbclient: install Jupyter's nbclient + nbformat " +
        "(apt-get install python3-nbclient python3-nbformat, or pip install nbclient nbformat), " +
        "or set FAASLAB_PYTHON to a python that has them",
  },
  async () => {
    const root = findRepoRoot();
    const main = path.join(root, "dist", "lib", "index.js");
    assert.ok(fs.existsSync(main), `${main} is missing: run \`npm run build\` first`);

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "faaslab-nb-"));
    // A user-style install: `import ... from "faaslab"` resolves through node_modules to the repo.
    fs.mkdirSync(path.join(tmp, "node_modules"));
    fs.symlinkSync(root, path.join(tmp, "node_modules", "faaslab"), process.platform === "win32" ? "junction" : "dir");
    // Jupyter looks for <each JUPYTER_PATH entry>/kernels/<name>/kernel.json.
    installKernelspec({ dir: path.join(tmp, "kernels") });

    const nbFile = path.join(tmp, "hello.ipynb");
    const outFile = path.join(tmp, "hello.out.ipynb");
    fs.writeFileSync(nbFile, notebookJson(CELLS));

    const env = { ...process.env, JUPYTER_PATH: tmp, JUPYTER_RUNTIME_DIR: path.join(tmp, "runtime") };
    const script = path.join(root, "scripts", "run_notebook.py");
    const args = [script, nbFile, "--kernel", "faaslab", "--out", outFile, "--timeout", "120"];
    const res = await run(python!, args, env, RUN_LIMIT_MS);
    const why = `run_notebook.py exited ${res.code}; notebook dir kept at ${tmp}\n${res.stderr}`;
    assert.equal(res.code, 0, why);

    const stdout = streamText(outFile, "stdout");
    assert.ok(stdout[2].includes(`{"message":"Hello Steve!"}`), `cell 2 stdout: ${JSON.stringify(stdout[2])}\n${why}`);
    const recLine = stdout[3].split("\n").find((l) => l.startsWith("{"));
    assert.ok(recLine, `cell 3 printed no JSON: ${JSON.stringify(stdout[3])}`);
    const rec = JSON.parse(recLine) as { cold: unknown; ok: boolean; result: unknown };
    assert.equal(rec.ok, true, `invoke record: ${recLine}`);
    assert.deepEqual(rec.result, { message: "Hello Ann!" });
    const state = path.join(tmp, "functions", "hello_world", "state.json");
    assert.ok(fs.existsSync(state), `${state} was not created`);


    const all = stdout.join("\n");
    const line = (marker: string) => all.split("\n").find((l) => l.startsWith(marker)) ?? `(no ${marker} line)`;
    assert.deepEqual(JSON.parse(line("RECONF ").slice(7)), { memory: 1024, cold: true }, why);
    // Real tslab output: a name from another cell and an import alias are both caught before deploying.
    assert.match(line("REJECTED uses_helper"), /UNRESOLVED_NAMES .*helper/, all);
    assert.match(line("REJECTED uses_import"), /UNRESOLVED_NAMES .*randomBytes|crypto/, all);
    assert.equal(line("LEN "), "LEN 8", all);
    assert.equal(line("LOADED "), "LOADED hello_world,self_contained", all);
    assert.ok(!fs.existsSync(path.join(tmp, "functions", "uses_helper", "state.json")), "a rejected function was deployed");
    fs.rmSync(tmp, { recursive: true, force: true });
  },
);
