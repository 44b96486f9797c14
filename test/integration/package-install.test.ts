// faaslab as a user gets it: `npm pack`, then `npm install <tarball>` in a scratch project that has
// nothing but a name, with nothing but npm (its cache and the registry). The install must finish with
// no native download (no @tensorflow/tfjs-node), and a script in that project — resolving faaslab from
// its own node_modules, not from this repo — calls a function on the local platform, runs an
// experiment and reads r.df.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { RECORD_COLUMNS } from "../../lib/experiment/row";
import { survivors } from "../helpers/processes";
import { removeDir, tempDir } from "../helpers/workspace";

/** The repo root (this file runs as dist/test/integration/package-install.test.js). */
const REPO = path.resolve(__dirname, "..", "..", "..");
/** npm install from a cold cache fetches a few hundred packages: generous, but bounded. */
const INSTALL_TIMEOUT_MS = 8 * 60_000;

/**
 * Install-time scripts the tarball's dependency tree may run, each reviewed: none downloads anything.
 * core-js prints a message; esbuild's checks the binary that its per-platform package (a registry
 * package) ships; zeromq's (through tslab) loads the prebuilt addon shipped in the package and only
 * compiles with cmake when none fits the platform; protobufjs's (through @google-cloud/functions) only
 * reads package.json files and may print a version-scheme warning.
 */
const REVIEWED_INSTALL_SCRIPTS = ["core-js", "esbuild", "protobufjs", "zeromq"];

const scratch = tempDir("package-install");
after(() => removeDir(scratch));

/** This environment minus what `npm test` and faaslab set for this repo (npm's registry settings stay). */
function userEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|cache|userconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !keep.test(key)) continue;
    if (/^(INIT_CWD|NODE_PATH|NODE_OPTIONS)$/.test(key) || key.startsWith("FAASLAB_")) continue;
    env[key] = value;
  }
  return env;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command in its own process group; on timeout the whole group (install scripts too) is killed. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: userEnv(),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const tail = (text: string, lines = 40) => text.trim().split("\n").slice(-lines).join("\n");

/** Every package under node_modules (scoped and nested ones too) with its package.json. */
function installedPackages(dir: string): { name: string; scripts: Record<string, string> }[] {
  const found: { name: string; scripts: Record<string, string> }[] = [];
  const visit = (modules: string) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith(".")) continue;
      const full = path.join(modules, entry);
      if (entry.startsWith("@")) {
        visit(full);
        continue;
      }
      const manifest = path.join(full, "package.json");
      if (!fs.existsSync(manifest)) continue;
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as {
        name: string;
        scripts?: Record<string, string>;
      };
      found.push({ name: pkg.name, scripts: pkg.scripts ?? {} });
      visit(path.join(full, "node_modules"));
    }
  };
  visit(path.join(dir, "node_modules"));
  return found;
}

/** What the scratch project runs: a user's first steps, printed as one JSON line. */
const USER_SCRIPT = `
const { cloudFunction, experiment, shutdown } = require("faaslab");
(async () => {
  const hello = cloudFunction("hello_installed", async (req) => ({ message: "Hello " + req.name + "!", pid: process.pid }));
  const first = await hello({ name: "Steve" });
  const r = await experiment(hello, {
    threads: 2, runsPerThread: 2, payloads: [{ name: "a" }, { name: "b" }], name: "installed", shuffle: false,
  });
  const df = r.df;
  console.log(JSON.stringify({
    faaslab: require.resolve("faaslab"),
    first,
    rows: r.rows.length,
    shape: df.shape,
    columns: df.columns,
    messages: df.column("message").values,
    pids: df.column("pid").values,
  }));
  await shutdown();
})().catch((e) => { console.error(e); process.exit(1); });
`;

test(
  "npm pack → npm install in a scratch project (no native download) → a function, an experiment and r.df",
  { timeout: INSTALL_TIMEOUT_MS + 120_000 },
  async (t) => {
    // --ignore-scripts: prepare would rebuild dist/ while the other test files run from it; `npm test`
    // has just built it, and that build is what gets packed.
    const pack = await run(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch],
      REPO,
      120_000,
    );
    assert.equal(pack.code, 0, `npm pack failed:\n${tail(pack.stderr)}`);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = new Set(packed.files.map((f) => f.path));
    for (const file of [
      "dist/lib/index.js",
      "dist/lib/index.d.ts",
      "dist/lib/runtime/public.js",
      "dist/platforms/local/shim/worker.js",
      "dist/lib/cli/main.js",
      "dist/kernel/cli.js",
      "dist/platforms/aws/cli.js",
      "platforms/local/defaults.json",
      "platforms/aws/defaults.json",
    ])
      assert.ok(shipped.has(file), `the tarball ships ${file}`);
    assert.ok(![...shipped].some((f) => f.startsWith("dist/test/")), "the tests are not shipped");

    const project = path.join(scratch, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "faaslab-install-check" }) + "\n",
    );
    const tarball = path.join(scratch, packed.filename);
    const install = await run(
      "npm",
      ["install", tarball, "--no-audit", "--no-fund"],
      project,
      INSTALL_TIMEOUT_MS,
    );
    t.diagnostic(`npm pack ${pack.ms} ms, npm install ${install.ms} ms`);
    const registryGap = /ETARGET|E404|ENOTFOUND registry/.test(install.stderr)
      ? "\n(npm could not get a package from the registry: see npm's message above)"
      : "";
    assert.equal(
      install.code,
      0,
      `npm install <tarball> failed:\n${tail(install.stderr)}\n${tail(install.stdout, 10)}${registryGap}`,
    );

    const packages = installedPackages(project);
    const names = new Set(packages.map((p) => p.name));
    assert.ok(names.has("faaslab") && names.has("danfojs"), "faaslab and danfojs are installed");
    assert.ok(!names.has("@tensorflow/tfjs-node"), "no native TensorFlow (danfojs-node's dependency)");
    assert.ok(!names.has("danfojs-node"));
    const withInstallScripts = [
      ...new Set(
        packages
          .filter((p) => ["preinstall", "install", "postinstall"].some((s) => p.scripts[s]))
          .map((p) => p.name),
      ),
    ].sort();
    assert.deepEqual(
      withInstallScripts,
      REVIEWED_INSTALL_SCRIPTS,
      "the packages whose install scripts ran are the reviewed ones (a new one may download a binary)",
    );

    fs.writeFileSync(path.join(project, "first-steps.js"), USER_SCRIPT);
    const used = await run(process.execPath, ["first-steps.js"], project, 120_000);
    t.diagnostic(`first-steps.js ${used.ms} ms`);
    assert.equal(used.code, 0, `the script in the scratch project failed:\n${tail(used.stderr)}`);
    const out = JSON.parse(used.stdout.trim().split("\n").pop() as string) as {
      faaslab: string;
      first: { message: string; pid: number };
      rows: number;
      shape: number[];
      columns: string[];
      messages: string[];
      pids: number[];
    };
    assert.equal(
      out.faaslab,
      fs.realpathSync(path.join(project, "node_modules", "faaslab", "dist", "lib", "index.js")),
      "faaslab came from the scratch project's node_modules",
    );
    assert.equal(out.first.message, "Hello Steve!");
    assert.equal(out.rows, 4);
    assert.deepEqual(out.columns, [...RECORD_COLUMNS, "message", "pid"]);
    assert.deepEqual(out.shape, [4, RECORD_COLUMNS.length + 2]);
    assert.deepEqual([...out.messages].sort(), ["Hello a!", "Hello a!", "Hello b!", "Hello b!"]);
    assert.ok(fs.existsSync(path.join(project, "functions", "hello_installed", "experiments", "installed")));

    const instances = [out.first.pid, ...out.pids];
    assert.deepEqual(await survivors(instances, 2000), [], "shutdown() stopped the instances");

    // The installed bin (package.json "bin"), run in the project: the workspace is the cwd.
    const listed = await run(
      path.join(project, "node_modules", ".bin", "faaslab"),
      ["list"],
      project,
      60_000,
    );
    assert.equal(listed.code, 0, `faaslab list failed:\n${tail(listed.stderr)}`);
    assert.match(listed.stdout, /^hello_installed\s+local\s+workspace\s/m);
  },
);
