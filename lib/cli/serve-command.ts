import { useFunction } from "../function/loader";
import { serve } from "../serve";
import { shutdown } from "../session";
import { workspaceDir } from "../settings";
import { UsageError, stringFlag, type CliCommand, type CliIO, type ParsedArgs } from "./command";

export const serveCommand: CliCommand = {
  words: ["serve"],
  usage: "serve NAME [--port N] [--host H] [--token T] [--workspace DIR]",
  summary:
    "serve a deployed function over HTTP on 127.0.0.1:8080 by default (POST / JSON, GET /?k=v) until Ctrl-C",
  options: {
    port: { type: "string" },
    host: { type: "string" },
    token: { type: "string" },
    workspace: { type: "string" },
  },
  maxPositionals: 1,
  run: serveFunction,
};

async function serveFunction(args: ParsedArgs, io: CliIO): Promise<number> {
  const name = args.positionals[0];
  if (name === undefined)
    throw new UsageError("which function? faaslab serve NAME (faaslab list shows them)");
  const portText = stringFlag(args, "port");
  const port = portText === undefined ? 8080 : Number(portText);
  if (portText !== undefined && !/^\d+$/.test(portText))
    throw new UsageError(`--port must be a number, got ${portText}`);
  const fn = useFunction(name, stringFlag(args, "workspace") ?? workspaceDir());
  const stopped = untilStopSignal();
  try {
    const server = await serve(fn, {
      port,
      host: stringFlag(args, "host"),
      token: stringFlag(args, "token"),
      log: (line) => io.out(line),
    });
    io.out(`Serving ${name} (${fn.platform}) at ${server.url}`);
    io.out("POST / with a JSON body, or GET /?key=value. Ctrl-C stops.");
    const signal = await stopped.signal;
    io.err(`faaslab: ${signal}: stopping (requests in flight finish first)`);
    await server.close();
    return 0;
  } finally {
    stopped.dispose();
    await shutdown();
  }
}

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function untilStopSignal(): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    let seen = false;
    onSignal = (name) => {
      if (seen) process.exit(130);
      seen = true;
      resolve(name);
    };
  });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
