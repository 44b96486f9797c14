import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const DEFAULT_KERNEL_NAME = "faaslab";
export const DEFAULT_DISPLAY_NAME = "TypeScript (faaslab)";

export interface KernelspecOptions {
  /** Per-user kernels dir (the default when neither prefix nor dir is given). */
  user?: boolean;
  /** Install into `<prefix>/share/jupyter/kernels/<name>` (like `jupyter kernelspec install --prefix`). */
  prefix?: string;
  /** Write straight into `<dir>/<name>/`; Jupyter finds it if `dir` is `<some JUPYTER_PATH entry>/kernels`. */
  dir?: string;
  name?: string;
  displayName?: string;
}

export interface InstalledKernelspec {
  dir: string;
  argv: string[];
}

/** Mirrors jupyter_core.paths.jupyter_data_dir(), so `--user` lands where Jupyter looks. */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (process.platform === "win32") {
    return env.APPDATA ? path.join(env.APPDATA, "jupyter") : path.join(home, ".jupyter", "data");
  }
  return path.join(env.XDG_DATA_HOME || path.join(home, ".local", "share"), "jupyter");
}

/** Kernel argv: this package's pinned tslab run by the current node, so neither a global tslab nor PATH matter. */
export function kernelArgv(): string[] {
  const tslabBin = require.resolve("tslab/bin/tslab");
  // "--config-path" and "{connection_file}" must stay separate argv items (tslab issue #36).
  return [process.execPath, tslabBin, "kernel", "--config-path", "{connection_file}"];
}

export function kernelspecDir(opts: KernelspecOptions): string {
  const name = opts.name ?? DEFAULT_KERNEL_NAME;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    // Jupyter only accepts these characters in kernel names.
    throw new Error(`invalid kernel name ${JSON.stringify(name)}: use letters, digits, '.', '_' or '-'`);
  }
  if (opts.dir) return path.resolve(opts.dir, name);
  if (opts.prefix) return path.resolve(opts.prefix, "share", "jupyter", "kernels", name);
  return path.join(jupyterDataDir(), "kernels", name);
}

export function installKernelspec(opts: KernelspecOptions = {}): InstalledKernelspec {
  const dir = kernelspecDir(opts);
  const argv = kernelArgv();
  const spec = {
    argv,
    display_name: opts.displayName ?? DEFAULT_DISPLAY_NAME,
    language: "typescript",
    metadata: { faaslab: { tslab: tslabVersion(argv[1]) } },
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  copyLogos(path.dirname(path.dirname(argv[1])), dir);
  return { dir, argv };
}

function tslabVersion(tslabBin: string): string | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(tslabBin), "..", "package.json"), "utf8"));
    return typeof pkg.version === "string" ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/** tslab 1.0.22 ships no logos; copy them anyway if a future version adds the standard files. */
function copyLogos(tslabRoot: string, dest: string): void {
  for (const sub of ["", "python", "kernelspec", "logos"]) {
    for (const file of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
      const src = path.join(tslabRoot, sub, file);
      if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dest, file));
    }
  }
}
