import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { unzipSync } from "fflate";

export const FRAMEWORK = "@google-cloud/functions-framework";

/** The repository's node_modules: stands in for the npm registry Google's build installs from. */
export const NODE_MODULES = (() => {
  const framework = path.dirname(require.resolve(FRAMEWORK)); // …/node_modules/@google-cloud/functions-framework/build/src
  return framework.slice(
    0,
    framework.lastIndexOf(`${path.sep}node_modules${path.sep}`) + "/node_modules".length,
  );
})();

export interface Built {
  buildId: string;
  logUrl: string;
  codeDir: string;
}

export class BuildFailure extends Error {}

/**
 * Google's Node.js build, locally: unzip the source, require a package.json whose `main` (or
 * index.js) exists and which declares the Functions Framework, and "install" each declared
 * dependency by linking it from the repository's node_modules (an unknown one fails as npm's 404).
 */
export function buildSource(zip: Buffer, into: string, logUrl: string, buildId: string): Built {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(zip));
  } catch (error) {
    throw new BuildFailure(`unable to extract the function source archive: ${String(error)}`);
  }
  mkdirSync(into, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith("/")) continue;
    const target = path.resolve(into, name);
    if (!target.startsWith(into + path.sep))
      throw new BuildFailure(`archive entry escapes the source directory: ${name}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  const manifest = path.join(into, "package.json");
  if (!existsSync(manifest))
    throw new BuildFailure("package.json not found at the root of the source archive");
  let pkg: { main?: unknown; dependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(readFileSync(manifest, "utf8")) as typeof pkg;
  } catch (error) {
    throw new BuildFailure(`npm ERR! JSON.parse Failed to parse package.json data: ${String(error)}`);
  }
  const main = typeof pkg.main === "string" ? pkg.main : "index.js";
  if (!existsSync(path.join(into, main)) && !existsSync(path.join(into, `${main}.js`))) {
    throw new BuildFailure(
      `function.js does not exist: package.json "main" is "${main}", which is not in the source archive`,
    );
  }
  const dependencies = pkg.dependencies ?? {};
  if (!(FRAMEWORK in dependencies)) {
    throw new BuildFailure(
      `package.json does not declare ${FRAMEWORK} in "dependencies": the function cannot be served`,
    );
  }
  for (const name of Object.keys(dependencies)) {
    const source = path.join(NODE_MODULES, name);
    if (!existsSync(source))
      throw new BuildFailure(`npm ERR! 404 Not Found - GET https://registry.npmjs.org/${name} - Not found`);
    const link = path.join(into, "node_modules", name);
    mkdirSync(path.dirname(link), { recursive: true });
    if (!existsSync(link)) symlinkSync(source, link, "dir");
  }
  return { buildId, logUrl, codeDir: into };
}

export function newBuild(region: string, projectNumber: string): { buildId: string; logUrl: string } {
  const buildId = randomUUID();
  return {
    buildId,
    logUrl: `https://console.cloud.google.com/cloud-build/builds;region=${region}/${buildId}?project=${projectNumber}`,
  };
}

/** The operation error message of a failed build, as Google words it (with the log URL). */
export function buildFailedMessage(reason: string, logUrl: string): string {
  return `Build failed with status: FAILURE and message: ${reason}. For more details see the logs at ${logUrl}.`;
}
