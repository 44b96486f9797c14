/**
 * `make run` until the tutorial notebook exists: the README example on the local platform, narrated.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { cloudFunction, configure, loadFunctions, reconfigure, shutdown, FunctionError } from "../lib";

async function main(): Promise<void> {
  const workspace = path.resolve(process.env.FAASLAB_WORKSPACE ?? path.join(__dirname, "..", "..", "demo"));
  mkdirSync(workspace, { recursive: true });
  configure({ workspace });
  console.log(`workspace: ${workspace}`);

  const hello = cloudFunction("hello_world", async (request: { name: string }, context) => {
    context.inspector.inspectCPU();
    const message = `Hello ${request.name}!`;
    context.inspector.inspectCPUDelta();
    return { message };
  });

  let t0 = Date.now();
  console.log(
    `hello({ name: "Steve" }) →`,
    await hello({ name: "Steve" }),
    `(${Date.now() - t0} ms: build + deploy if changed + invoke)`,
  );
  t0 = Date.now();
  console.log(
    `hello({ name: "Bob" })   →`,
    await hello({ name: "Bob" }),
    `(${Date.now() - t0} ms: unchanged, invoke only)`,
  );

  const record = await hello.invoke({ name: "Ann" });
  console.log('hello.invoke({ name: "Ann" }) → record:', {
    result: record.result,
    roundTripMs: record.roundTripMs,
    runtimeMs: record.runtimeMs,
    latencyMs: record.latencyMs,
    coldStart: record.coldStart,
    instanceId: record.instanceId,
    instanceInvocations: record.instanceInvocations,
    cpuType: record.cpuType,
    memoryMb: record.memoryMb,
  });

  const config = await reconfigure(hello, { memory: 1024 });
  const after = await hello.invoke({ name: "Ann" });
  console.log(
    `reconfigure(hello, { memory: ${config.memory} }) → next call on a fresh instance: coldStart ${after.coldStart}, memoryMb ${after.memoryMb}`,
  );

  const failing = cloudFunction("always_fails", async (_request: unknown) => {
    throw new Error("this function always fails");
  });
  const failedRecord = await failing.invoke({});
  console.log(
    `a failing function is data: failed ${failedRecord.failed}, errorType ${failedRecord.errorType}`,
  );
  await failing({}).catch((error: unknown) => {
    if (error instanceof FunctionError) console.log(`and calling it rejects: ${error.message}`);
    else throw error;
  });

  console.log(`loadFunctions() → ${Object.keys(loadFunctions()).join(", ")}`);
  await failing.remove();
  console.log(`removed always_fails; deployed now: ${Object.keys(loadFunctions()).join(", ")}`);
  await shutdown();
  console.log("shutdown: every local instance stopped");
}

main().catch(async (error: unknown) => {
  console.error(error);
  await shutdown();
  process.exitCode = 1;
});
