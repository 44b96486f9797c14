import { parseArgs } from "node:util";

/** A bad command line: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {}

/** One flag of a command, as node:util parseArgs takes it. */
export interface CliOption {
  type: "string" | "boolean";
  short?: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Where a command reads and writes (the process's streams; tests may pass others). */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Answers to questions (the confirmation prompt). */
  input: NodeJS.ReadableStream;
  /** Where questions are written. */
  output: NodeJS.WritableStream;
  /** Whether a person can answer on `input` (a terminal). */
  interactive: boolean;
}

/** A `faaslab …` command; platforms and kernel/ export theirs as `cliCommands`. */
export interface CliCommand {
  /** The words that select it, e.g. ["aws", "role", "create"]. */
  words: string[];
  /** The command line after "faaslab ", e.g. "aws role create [NAME]". */
  usage: string;
  /** One line on what it does. */
  summary: string;
  options?: Record<string, CliOption>;
  /** How many positional arguments it takes at most (default none). */
  maxPositionals?: number;
  run(args: ParsedArgs, io: CliIO): number | Promise<number>;
}

/** Strict parsing: an unknown flag, a missing value or an extra argument is a UsageError. */
export function parseCommandLine(command: CliCommand, args: string[]): ParsedArgs & { help: boolean } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(firstSentence((e as Error).message));
  }
  const { help, ...values } = parsed.values as Record<string, string | boolean | undefined>;
  const max = command.maxPositionals ?? 0;
  if (!help && parsed.positionals.length > max) {
    const extra = parsed.positionals.slice(max).join(" ");
    throw new UsageError(max === 0 ? `unexpected argument: ${extra}` : `too many arguments: ${extra}`);
  }
  return { values, positionals: parsed.positionals, help: help === true };
}

/** A string flag's value; an empty one ("--prefix=") is a usage error. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (value === "") throw new UsageError(`--${name} needs a value`);
  return typeof value === "string" ? value : undefined;
}

/** parseArgs' messages go on with advice about "--"; the first sentence is the point. */
function firstSentence(message: string): string {
  const end = message.indexOf(". ");
  return end > 0 ? message.slice(0, end) : message.replace(/\.$/, "");
}
