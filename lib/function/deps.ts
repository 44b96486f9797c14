import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { FaasLabError } from "../errors";
import type { Logger } from "../platform";

/**
 * Installs a function's declared `dependencies` into functions/<name>/deps/ with npm, once per set of
 * versions, and returns the node_modules directory the bundler should search.
 */
export async function installDependencies(
  functionName: string,
  depsDir: string,
  dependencies: Record<string, string>,
  log: Logger,
  signal?: AbortSignal,
): Promise<string[]> {
  if (Object.keys(dependencies).length === 0) return [];
  const modules = path.join(depsDir, "node_modules");
  const manifestPath = path.join(depsDir, "package.json");
  const manifest =
    JSON.stringify({ name: `${functionName}-deps`, private: true, dependencies }, null, 2) + "\n";
  if (existsSync(modules) && readIfExists(manifestPath) === manifest) return [modules];
  mkdirSync(depsDir, { recursive: true });
  writeFileSync(manifestPath, manifest);
  log(
    `npm install ${Object.entries(dependencies)
      .map(([n, v]) => `${n}@${v}`)
      .join(" ")}`,
  );
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const args = ["install", "--omit=dev", "--no-audit", "--no-fund", "--install-links", "--no-package-lock"];
  await new Promise<void>((resolve, reject) => {
    execFile(npm, args, { cwd: depsDir, signal, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      for (const line of `${stdout}${stderr}`.split("\n")) if (line.trim()) log(`npm: ${line}`);
      if (!error) return resolve();
      // Forget the manifest so the next call retries the install.
      writeFileSync(manifestPath, "");
      reject(
        new FaasLabError(
          `installing the dependencies of "${functionName}" failed: ${firstError(stderr, error)}`,
          {
            code: "DEPENDENCY_INSTALL",
            phase: "build",
            cause: error,
            hint: `check the names and versions in the dependencies option; npm's output is in the build log`,
          },
        ),
      );
    });
  });
  return [modules];
}

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function firstError(stderr: string, error: Error): string {
  return (
    stderr
      .split("\n")
      .find((line) => /ERR!/.test(line))
      ?.replace(/^npm ERR!\s*/, "") ?? error.message
  );
}
