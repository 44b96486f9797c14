import * as readline from "node:readline";

/** Asks a yes/no question on `output` and reads one line of `input`; only "y" or "yes" is yes. */
export function confirm(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream) {
  return new Promise<boolean>((resolve) => {
    const rl = readline.createInterface({ input, output });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
    // End of input (Ctrl-D, a closed pipe) is a no.
    rl.on("close", () => {
      if (!answered) resolve(false);
    });
  });
}
