/**
 * Preloaded (`node -r`) into every instance: the Functions Framework listens on a port with no host
 * (all interfaces); here a port-only listen binds 127.0.0.1, and the first server to listen reports
 * its port over IPC, so the fake can start instances on port 0 and knows when one is ready. HTTP
 * servers keep idle connections longer than the fake's proxy does (its agent closes them first), so
 * a reused connection is never closed under a request by the instance's idle timer (5 s by default).
 */
import * as net from "node:net";

type Listen = (this: net.Server, ...args: unknown[]) => net.Server;
const listen = net.Server.prototype.listen as unknown as Listen;
let reported = false;

(net.Server.prototype as unknown as { listen: Listen }).listen = function (
  this: net.Server,
  ...args: unknown[]
) {
  const port = args[0];
  const numeric = typeof port === "number" || (typeof port === "string" && /^\d+$/.test(port));
  if (numeric && typeof args[1] !== "string") args = [Number(port), "127.0.0.1", ...args.slice(1)];
  if ("keepAliveTimeout" in this)
    (this as net.Server & { keepAliveTimeout: number }).keepAliveTimeout = 620_000;
  this.once("listening", () => {
    const address = this.address();
    if (reported || !address || typeof address !== "object") return;
    reported = true;
    process.send?.({ type: "listening", port: address.port });
  });
  return listen.apply(this, args);
};
