/**
 * The fake Lambda as its own process, for benchmarks and manual runs:
 *   node dist/test/integration/fake-lambda/main.js [--pending-polls N]
 * Prints one JSON line `{"endpoint":"http://127.0.0.1:…"}` when listening; stops (killing every
 * execution environment) when stdin closes or on SIGTERM/SIGINT. GET /_fake/invocations and
 * /_fake/calls return what it recorded.
 */
import { startFakeLambda } from "./server";

async function main(): Promise<void> {
  const polls = process.argv.indexOf("--pending-polls");
  const pendingPolls = polls >= 0 ? Number(process.argv[polls + 1]) : undefined;
  const fake = await startFakeLambda({ pendingPolls });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void fake.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop).on("close", stop).resume();
  process.stdout.write(`${JSON.stringify({ endpoint: fake.endpoint })}\n`);
}

void main();
