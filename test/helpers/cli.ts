import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import * as path from "node:path";

/** The compiled CLI (package.json "bin"); this file is dist/test/helpers/cli.js once compiled. */
export const CLI = path.resolve(__dirname, "..", "..", "lib", "cli", "main.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin, which is then closed (a pipe: not a terminal). */
  input?: string;
  /** The process is killed after this long (a hung CLI fails the test instead of hanging it). */
  timeoutMs?: number;
}

/** `node dist/lib/cli/main.js …args` as a child process with piped stdio, to its exit. */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  return collect(spawn(process.execPath, [CLI, ...args], spawnOptions(options)), options, (child) => {
    child.stdin?.end(options.input ?? "");
  });
}

/** Whether util-linux `script` is here to give the CLI a real terminal. */
export const haveScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

/**
 * The CLI on a real pseudo-terminal (util-linux `script`), as a person runs it: when its output
 * matches `prompt`, `answer` is typed. The output comes back as text: LF line ends, without the
 * terminal's escape sequences (readline's cursor moves).
 */
export function runCliInTerminal(
  args: string[],
  answer: string,
  prompt: RegExp,
  options: CliRunOptions = {},
): Promise<CliRun & { prompted: boolean }> {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(" ");
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], spawnOptions(options));
  let prompted = false;
  let seen = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    seen += chunk.toString();
    if (!prompted && prompt.test(seen)) {
      prompted = true;
      child.stdin?.write(`${answer}\n`);
    }
  });
  return collect(child, options, () => undefined).then((run) => ({
    code: run.code,
    // eslint-disable-next-line no-control-regex
    stdout: run.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/\r+\n/g, "\n"),
    stderr: run.stderr,
    prompted,
  }));
}

function spawnOptions(options: CliRunOptions): SpawnOptions {
  return { env: options.env ?? process.env, cwd: options.cwd, stdio: "pipe" };
}

function collect(
  child: ChildProcess,
  options: CliRunOptions,
  start: (child: ChildProcess) => void,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    start(child);
  });
}

function shellQuote(word: string): string {
  return /^[\w./=:-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
