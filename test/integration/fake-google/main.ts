/**
 * The fake Google API as its own process, for benchmarks and manual runs:
 *   node dist/test/integration/fake-google/main.js [--pending-polls N] [--pending-ms MS]
 * Prints one JSON line `{"endpoint","port","project","projectNumber","region"}` when listening;
 * stops (killing every instance) when stdin closes or on SIGTERM/SIGINT. GET /_fake/invocations,
 * /_fake/calls and /_fake/functions on the endpoint return what it recorded.
 */
import { startFakeGoogle } from "./server";

function flag(name: string): number | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : undefined;
}

async function main(): Promise<void> {
  const fake = await startFakeGoogle({
    pendingPolls: flag("--pending-polls"),
    pendingMs: flag("--pending-ms"),
  });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void fake.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop).on("close", stop).resume();
  const { endpoint, port, project, projectNumber, region } = fake;
  process.stdout.write(`${JSON.stringify({ endpoint, port, project, projectNumber, region })}\n`);
}

void main();
