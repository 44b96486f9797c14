#!/usr/bin/env node
import { existsSync } from "node:fs";
import * as path from "node:path";
import { platformNames } from "../registry";
import { parseCommandLine, UsageError, type CliCommand, type CliIO } from "./command";
import { listCommand } from "./list-command";
import { removeCommand } from "./remove-command";
import { serveCommand } from "./serve-command";

/**
 * `faaslab <command>`: lib's own commands, kernel/'s, and each platform's — a platforms/<name>/cli.ts
 * exporting `cliCommands`, found by convention (lib names no platform) and loaded only here.
 */
function commands(): CliCommand[] {
  const kernel = (require("../../kernel/cli") as { cliCommands: CliCommand[] }).cliCommands;
  return [listCommand, removeCommand, serveCommand, ...kernel, ...platformNames().flatMap(platformCommands)];
}

function platformCommands(name: string): CliCommand[] {
  if (!/^[\w-]+$/.test(name)) return [];
  const file = path.join(__dirname, "..", "..", "platforms", name, "cli.js");
  if (!existsSync(file)) return [];
  return (require(file) as { cliCommands: CliCommand[] }).cliCommands;
}

export function usage(all: CliCommand[] = commands()): string {
  const lines = ["usage: faaslab <command> [options]   (faaslab <command> --help for one command)", ""];
  for (const c of all) lines.push(`  faaslab ${c.usage}`, `      ${c.summary}`);
  return lines.join("\n");
}

/** The process's streams; console.* so that what tests capture there is what the CLI printed. */
export function processIO(): CliIO {
  return {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    input: process.stdin,
    output: process.stdout,
    interactive: process.stdin.isTTY === true,
  };
}

/** Runs one command line; resolves to the exit code (0 done, 1 failed, 2 bad command line). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const all = commands();
  if (argv.length === 0 || (argv.length === 1 && ["-h", "--help", "help"].includes(argv[0]))) {
    (argv.length === 0 ? io.err : io.out)(usage(all));
    return argv.length === 0 ? 2 : 0;
  }
  const command = all
    .filter((c) => c.words.every((w, i) => argv[i] === w))
    .sort((a, b) => b.words.length - a.words.length)[0];
  if (!command) {
    io.err(`faaslab: unknown command: ${argv.join(" ")}\n${usage(all)}`);
    return 2;
  }
  try {
    const args = parseCommandLine(command, argv.slice(command.words.length));
    if (args.help) {
      io.out(`usage: faaslab ${command.usage}\n  ${command.summary}`);
      return 0;
    }
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`faaslab: ${err.message}\nusage: faaslab ${command.usage}`);
      return 2;
    }
    io.err(`faaslab: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
