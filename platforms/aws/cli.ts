import type { CliCommand, CliIO, ParsedArgs } from "../../lib/cli/command";

/**
 * The aws commands of the `faaslab` CLI. Nothing here loads an AWS SDK: the CLI reads this file for
 * its usage even where the SDK is not installed; a command requires what it needs when it runs.
 */
export const cliCommands: CliCommand[] = [
  {
    words: ["aws", "role", "create"],
    usage: "aws role create [NAME]",
    summary: "create (or reuse) a Lambda execution role; NAME defaults to faaslab-lambda",
    maxPositionals: 1,
    run: awsRoleCreate,
  },
];

async function awsRoleCreate(args: ParsedArgs, io: CliIO): Promise<number> {
  // The IAM SDK is needed by this command only.
  const aws = require("./role") as typeof import("./role");
  const role = await aws.createExecutionRole(args.positionals[0] ?? aws.DEFAULT_ROLE_NAME);
  const lines = [
    `${role.created ? "Created" : "Reusing the existing"} role ${role.name} (Lambda may assume it; it may write logs):`,
    role.arn,
    "",
    "Use it in faaslab.config.json next to the notebook:",
    `  { "aws": { "role": "${role.arn}" } }`,
    'or per function: cloudFunction(name, fn, { platform: "aws", config: { role: "…" } }).',
  ];
  if (role.created)
    lines.push("(IAM takes a few seconds to propagate a new role; the first deploy waits for it.)");
  io.out(lines.join("\n"));
  return 0;
}
