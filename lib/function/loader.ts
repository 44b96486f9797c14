import { readdirSync, type Dirent } from "node:fs";
import { FaasLabError } from "../errors";
import { workspaceDir } from "../settings";
import { loadedCallable, nameProblems, type CloudFunction } from "./cloud-function";
import { functionsRoot } from "./workspace";

/** Every function deployed in the workspace, callable by name (FaaSET's automatic loading). */
export function loadFunctions(workspace = workspaceDir()): Record<string, CloudFunction> {
  const functions: Record<string, CloudFunction> = {};
  for (const name of deployedNames(workspace)) {
    const fn = loadedCallable(name, workspace);
    if (fn) functions[name] = fn;
  }
  return functions;
}

/** One function deployed earlier (e.g. in another notebook), without its source; a ConfigError for an invalid name. */
export function useFunction<P = unknown, R = unknown>(
  name: string,
  workspace = workspaceDir(),
): CloudFunction<P, R> {
  const fn = loadedCallable(name, workspace);
  if (!fn) {
    const known = deployedNames(workspace);
    throw new FaasLabError(`no deployed function "${name}" in ${functionsRoot(workspace)}`, {
      code: "NOT_DEPLOYED",
      phase: "invoke",
      hint: known.length ? `deployed here: ${known.join(", ")}` : "deploy it first with cloudFunction()",
    });
  }
  return fn as CloudFunction<P, R>;
}

/** Folders under functions/ that hold a function's state.json (folders that are no function name are skipped). */
function deployedNames(workspace: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(functionsRoot(workspace), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory() && nameProblems(entry.name).length === 0)
    .map((entry) => entry.name)
    .filter((name) => isLoadable(name, workspace))
    .sort();
}

/** A function whose state.json cannot be read (a folder in its place) is left out here; useFunction names it. */
function isLoadable(name: string, workspace: string): boolean {
  try {
    return loadedCallable(name, workspace) !== null;
  } catch {
    return false;
  }
}
