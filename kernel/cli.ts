import * as path from "node:path";
import type { CliCommand, CliIO, ParsedArgs } from "../lib/cli/command";
import { UsageError, stringFlag } from "../lib/cli/command";
import { DEFAULT_DISPLAY_NAME, DEFAULT_KERNEL_NAME, installKernelspec } from "./kernelspec";

/** The kernel's commands of the `faaslab` CLI (lib/cli/main.ts dispatches). */
export const cliCommands: CliCommand[] = [
  {
    words: ["kernel", "install"],
    usage: "kernel install [--user | --prefix DIR] [--name NAME]",
    summary: "register the faaslab Jupyter kernel (TypeScript, this package's pinned tslab)",
    options: { user: { type: "boolean" }, prefix: { type: "string" }, name: { type: "string" } },
    run: kernelInstall,
  },
];

function kernelInstall(args: ParsedArgs, io: CliIO): number {
  const prefix = stringFlag(args, "prefix");
  if (args.values.user === true && prefix !== undefined)
    throw new UsageError("use either --user or --prefix");
  const name = stringFlag(args, "name") ?? DEFAULT_KERNEL_NAME;
  const { dir, argv } = installKernelspec({ prefix, name });

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
    const share = path.resolve(prefix, "share", "jupyter");
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
  io.out(lines.join("\n"));
  return 0;
}
