// shutdown() closes every server serve() started; a process that serves and is SIGKILLed leaves no
// listener and no instance behind (a kernel restart).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudFunction, serve, shutdown } from "../../lib";
import { postJson } from "../helpers/http-client";
import { withinGuard } from "../helpers/guard";
import { isAlive, startNodeUntilJson, survivors } from "../helpers/processes";
import { listenersOn, someoneListensOn } from "../helpers/sockets";
import { localSuite } from "../helpers/suite";
import { compiledLib } from "../helpers/workspace";

const { workspace, ledger } = localSuite("serve-shutdown");

const whoAmI = async () => ({ pid: process.pid });

test("shutdown() closes every server: nothing listens on their ports afterwards", async () => {
  const fn = cloudFunction("shutdown_served", whoAmI);
  const servers = [await serve(fn), await serve(fn)];
  const ports = servers.map((s) => Number(new URL(s.url).port));
  for (const server of servers) {
    const answer = await postJson(server.url, {});
    assert.equal(answer.status, 200);
    ledger.add((answer.json as { pid: number }).pid);
  }
  assert.ok(ports.every(someoneListensOn));
  await shutdown();
  assert.deepEqual(ports.filter(someoneListensOn), [], "no port is still listening after shutdown()");
  await Promise.all(servers.map((s) => s.close())); // closing again is fine
});

test("a serving process that is SIGKILLed (a kernel restart) leaves no listener and no instance", async () => {
  const lib = JSON.stringify(compiledLib());
  const script = `
    const { cloudFunction, configure, serve } = require(${lib});
    configure({ workspace: ${JSON.stringify(workspace)} });
    const fn = cloudFunction("killed_server", async () => ({ pid: process.pid }));
    serve(fn).then((server) => console.log(JSON.stringify({ url: server.url })));
  `;
  const { child, message } = await startNodeUntilJson(script, { timeoutMs: 60_000 });
  const url = (message as { url: string }).url;
  const port = Number(new URL(url).port);
  try {
    const answer = await postJson(url, {});
    assert.equal(answer.status, 200);
    const instance = (answer.json as { pid: number }).pid;
    assert.ok(isAlive(instance));
    assert.ok(someoneListensOn(port));
    // Its exit as waitpid reports it: every thread gone, so its file table is closed. (/proc shows the
    // main thread a zombie earlier, while other threads still hold the process's sockets.)
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await withinGuard(exited, "the serving process to exit");
    assert.deepEqual(await survivors([instance], 10_000), [], "its instance died with it");
    assert.equal(
      someoneListensOn(port),
      false,
      `nothing listens on its port: ${listenersOn(port).join(", ")}`,
    );
  } finally {
    child.kill("SIGKILL");
  }
});
