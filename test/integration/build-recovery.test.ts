// A notebook interrupt SIGINTs the kernel's whole process group, which kills esbuild's service
// process; the next build must start a fresh one instead of failing until a kernel restart.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { cloudFunction } from "../../lib";
import { childPids, waitFor, isAlive } from "../helpers/processes";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("build-recovery");

const esbuildServices = (): number[] =>
  childPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--service");
    } catch {
      return false;
    }
  });

test("a build after esbuild's service died starts a new service and succeeds", async () => {
  const first = cloudFunction("recovery_first", async () => process.pid);
  ledger.add(await first(null));
  const services = esbuildServices();
  assert.ok(services.length > 0, "the first build left esbuild's service running");
  for (const pid of services) process.kill(pid, "SIGKILL");
  assert.ok(await waitFor(() => services.every((pid) => !isAlive(pid)), 2000));

  const second = cloudFunction("recovery_second", async () => process.pid);
  const pid = await second(null);
  ledger.add(pid);
  assert.equal(typeof pid, "number");
});
