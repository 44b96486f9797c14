import { createHandler, type UserFunction } from "../../../lib/runtime/handler";
import type { ChildMessage, InvokeMessage } from "../protocol";
import { ENV } from "../protocol";

/**
 * Entry of a local instance: the build bundles this with the user function into one file that the
 * local platform forks. It talks to the parent over the IPC channel only (never a network port).
 */
export function start(userFunction: UserFunction): void {
  const send = process.send?.bind(process);
  if (!send)
    throw new Error("a faaslab local instance must be started by the local platform (no IPC channel)");
  const handle = createHandler(userFunction, {
    functionName: process.env[ENV.functionName] ?? "unknown",
    platform: "local",
    memoryMb: Number(process.env[ENV.memoryMb]) || null,
    region: process.env[ENV.region] || null,
  });
  writeOutputSynchronously();
  const reply = (message: ChildMessage) => {
    if (process.connected) send(message);
  };
  process.on("message", (message: InvokeMessage) => {
    if (message.t !== "inv") return;
    handle(message.payload, { requestId: message.id, deadline: message.deadline }).then(
      (body) => reply({ t: "res", id: message.id, body }),
      // createHandler catches the function's errors; reaching here is a shim bug, so fail loudly.
      (error: unknown) => {
        console.error(error);
        process.exit(70);
      },
    );
  });
  // The parent went away (kernel restart, script exit): an instance never outlives its platform.
  process.on("disconnect", () => process.exit(0));
  // An instance runs in a session of its own (../spawn.ts), out of reach of the notebook's interrupt
  // (SIGINT to the kernel's process group). A SIGINT sent to the instance itself is ignored too: like a
  // cloud instance, an instance is not the notebook's to interrupt (the platform stops it when it must).
  process.on("SIGINT", () => undefined);
  reply({ t: "ready" });
}

/**
 * stdout and stderr are sockets to the parent, and Node writes to them asynchronously: what the parent
 * has not read yet waits in the instance's memory, where the RSS watchdog counts it, and a burst of
 * output could get an idle instance killed for memory it never used (and the output lost). A blocking
 * descriptor makes each write wait until the parent took it, as a write to a full pipe does: output
 * costs the function time, never memory.
 */
function writeOutputSynchronously(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const handle = (stream as unknown as { _handle?: { setBlocking?(on: boolean): number } })._handle;
    handle?.setBlocking?.(true);
  }
}
