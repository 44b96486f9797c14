/**
 * The behaviour every platform must share, run against each one (local here; cloud adapters run it
 * against their fake endpoints). A suite, not a test file: platform test files call runContract().
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { existsSync } from "node:fs";
import {
  cloudFunction,
  configure,
  forceColdStart,
  reconfigure,
  shutdown,
  FaasLabError,
  FunctionError,
  type CloudFunction,
  type CloudFunctionOptions,
  type PlatformName,
  type PlatformConfig,
  type UserFunction,
} from "../../lib";
import type { Capability } from "../../lib/platform";
import { platformModule } from "../../lib/registry";

/** How the suite makes its functions: cloudFunction by default. */
export type DefineFunction = (
  name: string,
  fn: UserFunction<never, unknown>,
  options: CloudFunctionOptions,
) => CloudFunction | Promise<CloudFunction>;

export interface ContractOptions {
  /** E.g. http: a local function, served, reached through httpFunction (test/contract/http.test.ts). */
  define?: DefineFunction;
  /** Where the function itself runs when `platform` only reaches it (what its context says). */
  runsOn?: { platform: PlatformName; name: (name: string) => string };
}

export function runContract(
  platform: PlatformName,
  config: PlatformConfig = {},
  options: ContractOptions = {},
): void {
  const define = async <P, R>(name: string, fn: UserFunction<P, R>, opts: CloudFunctionOptions) =>
    (await (options.define ?? cloudFunction)(
      name,
      fn as UserFunction<never, unknown>,
      opts,
    )) as CloudFunction<P, Awaited<R>>;
  const runsOn = options.runsOn ?? { platform, name: (name: string) => name };
  const can = (capability: Capability) => platformModule(platform).capabilities.includes(capability);
  const isUnsupported = (e: unknown) => e instanceof FaasLabError && e.code === "UNSUPPORTED";
  describe(`platform contract: ${platform}`, () => {
    let workspace = "";
    before(() => {
      workspace = mkdtempSync(path.join(os.tmpdir(), `faaslab-contract-${platform}-`));
      configure({ workspace });
    });
    after(async () => {
      await shutdown();
      rmSync(workspace, { recursive: true, force: true });
    });

    test("a result comes back unchanged, with the record's timing fields", async () => {
      const echo = await define("contract_echo", async (payload: unknown) => ({ echoed: payload }), {
        platform,
        config,
      });
      const payload = { text: "héllo ✓", list: [1, 2.5, null, true], nested: { deep: { x: "y" } } };
      const record = await echo.invoke(payload);
      assert.equal(record.failed, false);
      assert.deepEqual(record.result, { echoed: payload });
      assert.equal(record.platform, platform);
      assert.ok(record.runtimeMs !== null && record.runtimeMs >= 0);
      assert.ok(record.roundTripMs >= record.runtimeMs);
      assert.equal(record.latencyMs, Math.round((record.roundTripMs - record.runtimeMs) * 1000) / 1000);
      assert.equal(
        record.payloadBytes,
        Buffer.byteLength(JSON.stringify(payload)),
        "bytes of the JSON, not characters",
      );
    });

    test("the first request on an instance is cold, the next one on it is warm", async () => {
      const fn = await define("contract_cold", async () => null, { platform, config });
      const first = await fn.invoke(null);
      const second = await fn.invoke(null);
      assert.equal(first.coldStart, true);
      assert.equal(first.instanceInvocations, 1);
      assert.equal(second.coldStart, false);
      assert.equal(second.instanceId, first.instanceId);
      assert.equal(second.instanceInvocations, 2);
      assert.ok(first.cpuType && first.architecture);
    });

    test("the context describes the function and the request", async () => {
      const fn = await define(
        "contract_context",
        async (_p: unknown, ctx) => ({
          name: ctx.functionName,
          platform: ctx.platform,
          memory: ctx.memory,
          requestId: ctx.requestId,
          remaining: ctx.getRemainingTimeMs(),
        }),
        { platform, config },
      );
      const [a, b] = [await fn.invoke(null), await fn.invoke(null)];
      const result = a.result as {
        name: string;
        platform: string;
        memory: number;
        requestId: string;
        remaining: number;
      };
      assert.equal(result.name, runsOn.name("contract_context"));
      assert.equal(result.platform, runsOn.platform);
      // A platform without a memory knob (http) reports what the function's own platform said.
      assert.equal(result.memory, fn.config().memory ?? a.memoryMb);
      assert.equal(result.requestId, a.requestId);
      assert.notEqual(a.requestId, b.requestId);
      assert.ok(result.remaining > 0 && result.remaining <= Number(fn.config().timeout) * 1000);
    });

    test("a function error is a failed record, and rejects the plain call with FunctionError", async () => {
      const fn = await define(
        "contract_throws",
        async (payload: { why: string }) => {
          throw new RangeError(`bad input: ${payload.why}`);
        },
        { platform, config },
      );
      const record = await fn.invoke({ why: "negative" });
      assert.equal(record.failed, true);
      assert.equal(record.errorType, "RangeError");
      assert.equal(record.errorMessage, "bad input: negative");
      assert.equal(record.result, undefined);
      await assert.rejects(fn({ why: "x" }), (error: unknown) => {
        assert.ok(error instanceof FunctionError);
        assert.equal(error.errorType, "RangeError");
        assert.match(error.remoteStack ?? "", /RangeError: bad input: x/);
        return true;
      });
    });

    test("inspector attributes and a faaslab import inside the function become columns", async () => {
      // The shape tslab gives a function that uses `import { Inspector } from "faaslab"`.
      const source = new Function(
        `return async function contract_inspector(payload, ctx) {
          ctx.inspector.addAttribute("phase", "measured");
          const own = new faaslab_1.Inspector();
          own.addAttribute("n", payload.n * 2);
          return own.finish();
        }`,
      )() as (p: { n: number }, ctx: unknown) => Promise<Record<string, unknown>>;
      const fn = await define(source.name, source, { platform, config });
      const record = await fn.invoke({ n: 21 });
      assert.equal(record.failed, false, record.errorMessage ?? "");
      assert.equal(record.attributes.phase, "measured");
      const result = record.result as Record<string, unknown>;
      assert.equal(result.n, 42);
      assert.equal(typeof result.runtime, "number");
    });

    test("an Inspector imported in another notebook cell (tslab's exports.Inspector) works inside the function", async () => {
      const source = new Function(
        `return async function contract_cross_cell(payload) {
          const own = new exports.Inspector();
          own.addAttribute("doubled", payload.n * 2);
          return own.finish();
        }`,
      )() as (p: { n: number }) => Promise<Record<string, unknown>>;
      const record = await (await define(source.name, source, { platform, config })).invoke({ n: 4 });
      assert.equal(record.failed, false, record.errorMessage ?? "");
      assert.equal((record.result as Record<string, unknown>).doubled, 8);
    });

    test("reconfigure applies a config change without a new artifact; the next call sees it", async () => {
      const fn = await define("contract_reconf", async (_p: unknown, ctx) => ctx.memory, {
        platform,
        config,
      });
      await fn(null);
      if (!can("reconfigure")) {
        // Only where faaslab deploys can it change memory; elsewhere reconfigure({ memory }) says so.
        await assert.rejects(reconfigure(fn, { memory: 256 }), isUnsupported);
        return;
      }
      const hashBefore = (await fn.deploy()).hash;
      const lines: string[] = [];
      const effective = await reconfigure(fn, { memory: 256 }, { log: (line) => lines.push(line) });
      assert.equal(effective.memory, 256);
      assert.ok(lines.length > 0, "the control-plane call reported progress to the caller's log");
      const record = await fn.invoke(null);
      assert.equal(record.result, 256);
      assert.equal(record.memoryMb, 256);
      assert.equal((await fn.deploy()).hash, hashBefore, "same artifact");
    });

    test("forceColdStart makes the next call cold, or says UNSUPPORTED", async () => {
      const fn = await define("contract_force", async () => 1, { platform, config });
      const warmUp = [await fn.invoke(null), await fn.invoke(null)];
      assert.equal(warmUp[1].coldStart, false);
      if (!can("forceColdStart")) {
        await assert.rejects(forceColdStart(fn), isUnsupported);
        return;
      }
      await forceColdStart(fn);
      const after = await fn.invoke(null);
      assert.equal(after.coldStart, true);
      assert.notEqual(after.instanceId, warmUp[1].instanceId);
    });

    test("a call that outlives the timeout is a failed, timedOut record; the function stays usable", async () => {
      const fn = await define(
        "contract_timeout",
        async (payload: { ms: number }) => {
          await new Promise((resolve) => setTimeout(resolve, payload.ms));
          return payload.ms;
        },
        { platform, config: { ...config, timeout: 1 } },
      );
      const slow = await fn.invoke({ ms: 5000 });
      assert.equal(slow.failed, true);
      assert.equal(slow.timedOut, true);
      assert.equal(slow.errorType, "TimeoutError");
      const quick = await fn.invoke({ ms: 1 });
      assert.equal(quick.failed, false, quick.errorMessage ?? "");
      assert.equal(quick.result, 1);
    });

    test("remove deletes the deployment; the next call deploys it again", async () => {
      const fn = await define("contract_remove", async () => "here", { platform, config });
      assert.equal(await fn(null), "here");
      const state = path.join(workspace, "functions", "contract_remove", "state.json");
      assert.ok(existsSync(state));
      if (!can("remove")) {
        await assert.rejects(fn.remove(), isUnsupported);
        assert.ok(existsSync(state), "a refused remove keeps the state");
        return;
      }
      await fn.remove();
      assert.equal(existsSync(state), false);
      const again = await fn.invoke(null);
      assert.equal(again.result, "here");
      assert.equal(again.coldStart, true);
    });
  });
}
