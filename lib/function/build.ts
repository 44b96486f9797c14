import { build as esbuild, stop as stopEsbuild, type BuildOptions, type Message } from "esbuild";
import { mkdirSync, rmSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { FaasLabError } from "../errors";
import type { Artifact, Logger } from "../platform";
import type { CheckedSource } from "./source";
import type { FunctionPaths } from "./workspace";

export interface BuildRequest {
  functionName: string;
  hash: string;
  checked: CheckedSource;
  shimEntry: string;
  /** esbuild target: the Node version the platform runs the function on ("node22"). */
  target: string;
  paths: FunctionPaths;
  /** Extra module directories (the function's installed `dependencies`). */
  nodePaths: string[];
  workspace: string;
  log: Logger;
}

const ENTRY_FILE = "entry.js";
const ARTIFACT_FILE = "index.js";

/**
 * Bundles the function, what it require()s and the platform shim into one CommonJS file. Builds into
 * a scratch directory and swaps it in only on success, so a failed build keeps the previous artifact.
 */
export async function buildArtifact(request: BuildRequest): Promise<Artifact> {
  const { paths, log } = request;
  const scratch = `${paths.build}.next`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const entry = path.join(scratch, ENTRY_FILE);
  writeFileSync(entry, entrySource(request));
  log(`bundling ${request.functionName} with esbuild`);
  builderStarted = true;
  const options: BuildOptions = {
    entryPoints: [entry],
    outfile: path.join(scratch, ARTIFACT_FILE),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: request.target,
    nodePaths: request.nodePaths,
    absWorkingDir: request.workspace,
    logLevel: "silent",
    legalComments: "none",
  };
  try {
    const result = await bundle(options);
    for (const warning of result.warnings) log(`warning: ${formatMessage(warning)}`);
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors ?? [];
    for (const error of errors) log(`error: ${formatMessage(error)}`);
    throw buildFailure(request.functionName, errors, e);
  }
  rmSync(paths.build, { recursive: true, force: true });
  renameSync(scratch, paths.build);
  const artifactPath = path.join(paths.build, ARTIFACT_FILE);
  const bytes = statSync(artifactPath).size;
  log(`artifact ${artifactPath} (${(bytes / 1024).toFixed(1)} KiB, sha256 ${request.hash.slice(0, 12)})`);
  return { functionName: request.functionName, hash: request.hash, path: artifactPath, bytes };
}

/**
 * esbuild's service is a child process; a notebook interrupt (SIGINT to the kernel's process group)
 * kills it, and every later build would fail. Start a fresh service once and retry.
 */
async function bundle(options: BuildOptions) {
  try {
    return await esbuild(options);
  } catch (e) {
    if (!/service (is no longer running|was stopped)/i.test((e as Error)?.message ?? "")) throw e;
    await stopEsbuild();
    return await esbuild(options);
  }
}

function entrySource(request: BuildRequest): string {
  const runtime = JSON.stringify(path.join(__dirname, "..", "runtime", "public"));
  const { faaslabImports, runtimeExports } = request.checked;
  const prelude =
    faaslabImports.map((name) => `const ${name} = require(${runtime});\n`).join("") +
    runtimeExports.map((name) => `exports.${name} = require(${runtime}).${name};\n`).join("");
  // The user's source is inserted verbatim as an expression; the hash covers every character of it.
  return (
    `"use strict";\n${prelude}` +
    `const userFunction = (\n${request.checked.source}\n);\n` +
    // What start() returns becomes the bundle's exports (the aws shim returns { handler }; local nothing).
    `Object.assign(module.exports, require(${JSON.stringify(request.shimEntry)}).start(userFunction));\n`
  );
}

function formatMessage(message: Message): string {
  const where = message.location ? ` (${message.location.file}:${message.location.line})` : "";
  return `${message.text}${where}`;
}

function buildFailure(functionName: string, errors: Message[], cause: unknown): FaasLabError {
  const unresolved = errors
    .map((e) => /Could not resolve "([^"]+)"/.exec(e.text)?.[1])
    .filter((m): m is string => m !== undefined);
  if (unresolved.length) {
    return new FaasLabError(
      `"${functionName}" requires ${unresolved.map((m) => `"${m}"`).join(", ")}, not found`,
      {
        code: "MODULE_NOT_FOUND",
        phase: "build",
        cause,
        hint: `npm install it next to the notebook, or declare it: cloudFunction(name, fn, { dependencies: { "${unresolved[0]}": "<version>" } })`,
      },
    );
  }
  const text = errors.map(formatMessage).join("; ") || (cause as Error).message;
  return new FaasLabError(`bundling "${functionName}" failed: ${text}`, {
    code: "BUILD_FAILED",
    phase: "build",
    cause,
  });
}

let builderStarted = false;

/** esbuild keeps a service process after the first build; shutdown() stops it. */
export async function stopBuilder(): Promise<void> {
  if (builderStarted) await stopEsbuild();
  builderStarted = false;
}
