#!/usr/bin/env node
import * as path from "node:path";
import { DEFAULT_DISPLAY_NAME, DEFAULT_KERNEL_NAME, installKernelspec } from "./kernelspec";

/** Thrown for bad command lines: main() prints usage and exits 2. */
class UsageError extends Error {}

interface Command {
  /** Words that select the command, e.g. ["kernel", "install"]. */
  words: string[];
  usage: string;
  run(args: string[]): number | Promise<number>;
}

// Add subcommands here (e.g. ["aws", "role", "create"]); dispatch picks the longest matching word list.
const COMMANDS: Command[] = [
  {
    words: ["kernel", "install"],
    usage: "faaslab kernel install [--user | --prefix DIR] [--name NAME]",
    run: kernelInstall,
  },
  {
    words: ["aws", "role", "create"],
    usage: "faaslab aws role create [NAME]   (an execution role for Lambda; NAME defaults to faaslab-lambda)",
    run: awsRoleCreate,
  },
];

/** Tiny flag parser: `--flag`, `--opt VALUE` and `--opt=VALUE`; anything unknown is a usage error. */
function parseFlags(args: string[], booleans: string[], valued: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf("=");
    const key = eq > 0 ? arg.slice(0, eq) : arg;
    if (booleans.includes(key) && eq < 0) {
      out.set(key, true);
    } else if (valued.includes(key)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === "") throw new UsageError(`${key} needs a value`);
      out.set(key, value);
    } else {
      throw new UsageError(`unexpected argument: ${arg}`);
    }
  }
  return out;
}

function kernelInstall(args: string[]): number {
  const flags = parseFlags(args, ["--user"], ["--prefix", "--name"]);
  const prefix = flags.get("--prefix");
  if (flags.has("--user") && prefix !== undefined) throw new UsageError("use either --user or --prefix");
  const name = (flags.get("--name") as string | undefined) ?? DEFAULT_KERNEL_NAME;
  const { dir, argv } = installKernelspec({ prefix: prefix as string | undefined, name });

  const lines = [
    `Installed Jupyter kernel "${name}" (${DEFAULT_DISPLAY_NAME}) in ${dir}`,
    `  runs: ${argv.slice(0, 3).join(" ")} ...`,
    "",
    "Pick it in:",
    `  Jupyter Notebook: New > "${DEFAULT_DISPLAY_NAME}" (or Kernel > Change kernel in an open notebook)`,
    `  JupyterLab:       the "${DEFAULT_DISPLAY_NAME}" tile in the Launcher (or Kernel > Change Kernel...)`,
    `  VS Code:          open the .ipynb, Select Kernel > Jupyter Kernel... > "${DEFAULT_DISPLAY_NAME}"`,
    "                    (reload the window if it is not listed yet)",
  ];
  if (prefix !== undefined) {
    // Jupyter only searches its own sys.prefix, so a custom prefix needs JUPYTER_PATH.
    const share = path.resolve(prefix as string, "share", "jupyter");
    lines.push(
      "",
      `If ${prefix} is not the prefix of your Jupyter install, run Jupyter with JUPYTER_PATH=${share}`,
    );
  }
  lines.push(
    "",
    "Re-run this command after moving the project or switching Node versions: the kernel uses",
    `  ${argv[0]}`,
  );
  console.log(lines.join("\n"));
  return 0;
}

async function awsRoleCreate(args: string[]): Promise<number> {
  if (args.length > 1 || args.some((a) => a.startsWith("-")))
    throw new UsageError("expected at most a role name");
  // Loaded here: the IAM SDK is needed by this command only.
  const aws = require("../platforms/aws/role") as typeof import("../platforms/aws/role");
  const role = await aws.createExecutionRole(args[0] ?? aws.DEFAULT_ROLE_NAME);
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
  console.log(lines.join("\n"));
  return 0;
}

function usage(): string {
  return ["usage:", ...COMMANDS.map((c) => `  ${c.usage}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === "-h" || argv[0] === "--help")) {
    console.log(usage());
    return 0;
  }
  const matches = COMMANDS.filter((c) => c.words.every((w, i) => argv[i] === w));
  const command = matches.sort((a, b) => b.words.length - a.words.length)[0];
  if (!command) {
    console.error(`${argv.length ? `unknown command: ${argv.join(" ")}\n` : ""}${usage()}`);
    return 2;
  }
  const rest = argv.slice(command.words.length);
  if (rest.includes("-h") || rest.includes("--help")) {
    console.log(`usage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`faaslab: ${err.message}\nusage: ${command.usage}`);
      return 2;
    }
    console.error(`faaslab: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
