import * as path from "node:path";
import { workspaceDir } from "../settings";

/** Where one function's files live: functions/<name>/ under the workspace. */
export interface FunctionPaths {
  dir: string;
  state: string;
  build: string;
  logs: string;
  deps: string;
  experiments: string;
  /** Files a platform keeps for this function (e.g. local's deployed copies of the artifact). */
  platformData: string;
}

export function functionsRoot(workspace = workspaceDir()): string {
  return path.join(workspace, "functions");
}

export function functionPaths(name: string, workspace = workspaceDir()): FunctionPaths {
  const dir = path.join(functionsRoot(workspace), name);
  return {
    dir,
    state: path.join(dir, "state.json"),
    build: path.join(dir, "build"),
    logs: path.join(dir, "logs"),
    deps: path.join(dir, "deps"),
    experiments: path.join(dir, "experiments"),
    platformData: path.join(dir, "deployed"),
  };
}
