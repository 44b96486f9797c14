import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { FaasLabError } from "../../lib/errors";
import type { Deployment, DeploymentCheck, FunctionDirs } from "../../lib/platform";

/** What a local deployment's ref holds. */
export interface LocalRef {
  /** The deployed copy of the artifact (the local platform's "remote" storage): <dataDir>/local-<hash>.js. */
  artifact: string;
  /** Where instances' stdout/stderr go: <logDir>/instances.log. */
  log: string;
  /** sha256 of the deployed copy's bytes (absent in deployments made before it was recorded). */
  sha256?: string;
}

const COPY_NAME = /^local-[0-9a-f]{16}\.js$/;
const HOLD_NAME = /^local-[0-9a-f]{16}\.js\.(\d+)-\d+\.hold\.js$/;
export const LOG_FILE = "instances.log";

/** The file name of the deployed copy of an artifact hash. */
export function copyName(hash: string): string {
  return `local-${hash.slice(0, 16)}.js`;
}

/**
 * A hold file: this process's own link to a deployed copy (see holds.ts). Its path starts with the
 * copy's, so a process list shows which deployed copy an instance runs.
 */
export function holdName(copy: string, seq: number): string {
  return `${path.basename(copy)}.${process.pid}-${seq}.hold.js`;
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The ref of a local deployment, checked for shape: paths are absolute, the artifact is a deployed copy. */
export function localRef(deployment: Deployment): LocalRef {
  const { artifact, log, sha256: digest } = deployment.ref as Partial<Record<keyof LocalRef, unknown>>;
  const problem =
    typeof artifact !== "string" || !path.isAbsolute(artifact) || !COPY_NAME.test(path.basename(artifact))
      ? `its artifact ${JSON.stringify(artifact)} is not a deployed copy (<dir>/local-<hash>.js)`
      : typeof log !== "string" || !path.isAbsolute(log)
        ? `its log ${JSON.stringify(log)} is not an absolute path`
        : digest !== undefined && (typeof digest !== "string" || !/^[0-9a-f]{64}$/.test(digest))
          ? `its sha256 ${JSON.stringify(digest)} is not a digest`
          : null;
  if (problem) {
    throw new FaasLabError(`the local deployment of "${deployment.functionName}" is malformed: ${problem}`, {
      code: "INVALID_DEPLOYMENT",
      phase: "invoke",
      platform: "local",
    });
  }
  return { artifact, log, sha256: digest } as LocalRef;
}

/** Copies the built artifact into `dataDir` — whole or not at all (temp file + rename) — with its digest. */
export function publish(
  artifactPath: string,
  dataDir: string,
  hash: string,
): { file: string; sha256: string } {
  const bytes = readFileSync(artifactPath);
  const file = path.join(dataDir, copyName(hash));
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  return { file, sha256: sha256(bytes) };
}

/**
 * Deletes the deployed copies in `dataDir` other than `keep`, and the holds of processes that are
 * gone. Instances never start from a deployed copy but from their process's hold, so no running or
 * starting instance — of this process or another — loses its file.
 */
export function removeCopies(dataDir: string, keep: string | null): void {
  let files: string[];
  try {
    files = readdirSync(dataDir);
  } catch {
    return;
  }
  for (const file of files) {
    const hold = HOLD_NAME.exec(file);
    const stale = COPY_NAME.test(file)
      ? path.join(dataDir, file) !== keep
      : hold && !isAlive(Number(hold[1]));
    if (stale) rmSync(path.join(dataDir, file), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Platform.verify for a deployment read back from state.json: its files must be the deployed copy and
 * the log inside the function's own directories (never a path elsewhere, which would be run, appended
 * to or deleted), and the copy must be there with the bytes that were deployed.
 */
export function checkRef(deployment: Deployment, dirs: FunctionDirs): DeploymentCheck {
  let ref: LocalRef;
  try {
    ref = localRef(deployment);
  } catch (e) {
    return { status: "untrusted", reason: (e as Error).message };
  }
  const dataDir = path.resolve(dirs.dataDir);
  const expected = path.join(dataDir, copyName(deployment.hash));
  if (path.resolve(ref.artifact) !== expected) {
    return { status: "untrusted", reason: `its artifact ${ref.artifact} is not ${expected}` };
  }
  const log = path.join(path.resolve(dirs.logDir), LOG_FILE);
  if (path.resolve(ref.log) !== log)
    return { status: "untrusted", reason: `its log ${ref.log} is not ${log}` };
  let isFile: boolean;
  try {
    const stat = lstatSync(expected);
    if (stat.isSymbolicLink()) return { status: "untrusted", reason: `its artifact ${expected} is a link` };
    isFile = stat.isFile();
  } catch {
    return { status: "gone", reason: `its artifact ${expected} is missing` };
  }
  if (!isFile) return { status: "gone", reason: `its artifact ${expected} is not a file` };
  if (ref.sha256 !== undefined && sha256(readFileSync(expected)) !== ref.sha256) {
    return { status: "gone", reason: `its artifact ${expected} changed since it was deployed` };
  }
  return { status: "ok" };
}
