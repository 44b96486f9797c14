import { listDeployed, removeDeployed } from "../function/cleanup";
import { platformWith } from "../registry";
import { workspaceDir } from "../settings";
import { UsageError, stringFlag, type CliCommand, type CliIO, type ParsedArgs } from "./command";
import { confirm } from "./confirm";
import { count, deployedTable, problemLines } from "./table";

export const removeCommand: CliCommand = {
  words: ["remove"],
  usage: "remove --all --platform P [--prefix X] [--workspace DIR] [--yes]",
  summary: "remove every function `list` shows on P (named X…) and its state.json; asks first unless --yes",
  options: {
    all: { type: "boolean" },
    platform: { type: "string" },
    prefix: { type: "string" },
    workspace: { type: "string" },
    yes: { type: "boolean", short: "y" },
  },
  run: remove,
};

async function remove(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.values.all !== true) {
    throw new UsageError("--all is required (one function: f.remove() in the notebook)");
  }
  const platform = stringFlag(args, "platform");
  if (platform === undefined) throw new UsageError("--platform is required: the platform to clean up");
  const prefix = stringFlag(args, "prefix");
  const workspace = stringFlag(args, "workspace") ?? workspaceDir();
  // A platform that cannot remove (or cannot load) is refused before anything is listed or asked.
  platformWith(platform, "remove", "remove");
  const { functions, problems } = await listDeployed({ platform, prefix, workspace });
  for (const line of problemLines(problems)) io.err(line);
  const where = `on ${platform}${prefix ? ` named ${prefix}…` : ""}`;
  if (functions.length === 0) {
    io.out(`Nothing to remove ${where} (workspace ${workspace}).`);
    return problems.length ? 1 : 0;
  }
  io.out(`${deployedTable(functions)}\n`);
  if (args.values.yes !== true) {
    if (!io.interactive) {
      io.err(
        `faaslab: not removing ${count(functions.length)} without a confirmation: stdin is not a terminal. ` +
          "Check the list above and run again with --yes to remove them.",
      );
      return 1;
    }
    const question = `Remove ${count(functions.length)} ${where}? [y/N] `;
    if (!(await confirm(question, io.input, io.output))) {
      io.out("Nothing removed.");
      return 1;
    }
  }
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", stop);
  try {
    const result = await removeDeployed(functions, { workspace, signal: controller.signal });
    for (const fn of result.removed)
      io.out(`removed ${fn.functionName}${fn.location ? ` (${fn.location})` : ""}`);
    for (const { function: fn, error } of result.failed)
      io.err(`not removed ${fn.functionName}: ${error.message}`);
    io.out(`Removed ${result.removed.length} of ${count(functions.length)} ${where}.`);
    return result.failed.length || problems.length ? 1 : 0;
  } finally {
    process.removeListener("SIGINT", stop);
  }
}
