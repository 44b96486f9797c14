import type { CliCommand, CliIO, ParsedArgs } from "../../lib/cli/command";
import { FaasLabError } from "../../lib/errors";

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
  const aws = loadRole();
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

/** The IAM SDK is needed by this command only; where it is missing, say which package to install. */
function loadRole(): typeof import("./role") {
  try {
    return require("./role") as typeof import("./role");
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code !== "MODULE_NOT_FOUND" || !String(e).includes("@aws-sdk/"))
      throw e;
    throw new FaasLabError("the @aws-sdk/client-iam package is not installed", {
      code: "PLATFORM_UNAVAILABLE",
      phase: "config",
      platform: "aws",
      cause: e,
      hint: "npm install @aws-sdk/client-iam next to the notebook (or in the faaslab package)",
    });
  }
}
