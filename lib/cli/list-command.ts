import { listDeployed } from "../function/cleanup";
import { workspaceDir } from "../settings";
import { stringFlag, type CliCommand, type CliIO, type ParsedArgs } from "./command";
import { count, deployedTable, problemLines, problemsJson } from "./table";

export const listCommand: CliCommand = {
  words: ["list"],
  usage: "list [--platform P] [--prefix X] [--workspace DIR] [--json]",
  summary: "what is deployed: the workspace's functions and what platforms that can list report",
  options: {
    platform: { type: "string" },
    prefix: { type: "string" },
    workspace: { type: "string" },
    json: { type: "boolean" },
  },
  run: list,
};

async function list(args: ParsedArgs, io: CliIO): Promise<number> {
  const platform = stringFlag(args, "platform");
  const prefix = stringFlag(args, "prefix");
  const workspace = stringFlag(args, "workspace") ?? workspaceDir();
  const { functions, problems } = await listDeployed({ platform, prefix, workspace });
  if (args.values.json === true) {
    io.out(JSON.stringify({ workspace, functions, problems: problemsJson(problems) }, null, 2));
  } else {
    for (const line of problemLines(problems)) io.err(line);
    const what = [platform && `on ${platform}`, prefix && `named ${prefix}…`].filter(Boolean).join(" ");
    if (functions.length === 0) {
      io.out(`Nothing deployed${what ? ` ${what}` : ""} (workspace ${workspace}).`);
    } else {
      io.out(
        `${deployedTable(functions)}\n\n${count(functions.length)}${what ? ` ${what}` : ""} (workspace ${workspace}).`,
      );
    }
  }
  return problems.length ? 1 : 0;
}
