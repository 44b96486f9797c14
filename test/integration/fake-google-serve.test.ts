// The fake's data plane: uploaded zips run under the real Functions Framework, one child process per
// instance, with Cloud Run's admission (concurrency, max/min instances, 429), bearer checks, cold
// starts on a new revision, and nothing left running after stop().
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { Gate } from "../helpers/gate";
import { HANG_GUARD_MS, withinGuard } from "../helpers/guard";
import { isAlive, survivors, waitFor } from "../helpers/processes";
import { listeningSocketsOf } from "../helpers/sockets";
import {
  createFromZip,
  EXPORTS_JS,
  invoke,
  PACKAGE_JSON,
  probeZip,
  realClient,
  upload,
  zipOf,
} from "./fake-google/fixtures";
import { startFakeGoogle, type FakeGoogle } from "./fake-google/server";

let fake: FakeGoogle;
let client: ReturnType<typeof realClient>;
let gate: Gate;

before(async () => {
  // pendingMs bounds how long an over-capacity request waits before its 429.
  fake = await startFakeGoogle({ pendingMs: 300 });
  client = realClient(fake);
  gate = await Gate.open();
});
after(async () => {
  await gate.close();
  await client.close();
  await fake.stop();
});

/** IPv4 addresses `pid`'s own listening TCP sockets are bound to (from /proc/<pid>/net/tcp). */
function listenAddresses(pid: number): string[] {
  const own = new Set(listeningSocketsOf(pid));
  const rows = readFileSync(`/proc/${pid}/net/tcp`, "utf8").trim().split("\n").slice(1);
  return rows
    .map((row) => row.trim().split(/\s+/))
    .filter((f) => own.has(f[9]!))
    .map((f) =>
      f[1]!
        .split(":")[0]!
        .match(/../g)!
        .reverse()
        .map((h) => parseInt(h, 16))
        .join("."),
    );
}

const bearer = (claims: object) =>
  ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

describe("serving uploaded source under the Functions Framework", () => {
  test("an http() function answers at its uri with Cloud Run's environment and the function's variables", async () => {
    const fn = await createFromZip(client, fake, "serve-env", probeZip(), {
      environmentVariables: { GREETING: "hi" },
    });
    const r = await invoke(fn.serviceConfig!.uri!, { n: 5 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json!.body, { n: 5 });
    assert.deepEqual(r.json!.env, {
      K_SERVICE: "serve-env",
      K_REVISION: fn.serviceConfig!.revision,
      FUNCTION_TARGET: "probe",
      NODE_ENV: "production",
      GREETING: "hi",
    });
    const entry = fake.invocations.at(-1)!;
    assert.deepEqual([entry.pid, entry.status], [r.json!.pid, 200]);
    assert.ok(fake.pids().includes(r.json!.pid));
  });

  test("a plain exports.<name> function works too; the instance listens on 127.0.0.1 only", async () => {
    const zip = zipOf({ "package.json": PACKAGE_JSON, "index.js": EXPORTS_JS });
    const fn = await createFromZip(client, fake, "serve-exports", zip, {}, "hello");
    const r = await invoke(fn.serviceConfig!.uri!, { name: "ada" });
    assert.deepEqual([r.status, r.text], [200, "hello ada"]);
    const pid = fake.functions().find((f) => f.functionId === "serve-exports")!.instances[0]!.pid!;
    assert.deepEqual(listenAddresses(pid), ["127.0.0.1"]);
  });

  test("an entry point the module does not export fails SERVICE with Cloud Run's health-check message", async () => {
    const storageSource = await upload(client, fake, probeZip());
    const [op] = await client.createFunction({
      parent: client.locationPath(fake.project, fake.region),
      functionId: "serve-bad-target",
      function: {
        buildConfig: { runtime: "nodejs22", entryPoint: "nope", source: { storageSource } },
        environment: "GEN_2",
      },
    });
    await assert.rejects(
      op.promise(),
      (e: Error & { code?: number }) => e.code === 3 && /Container Healthcheck failed/.test(e.message),
    );
    assert.deepEqual(fake.functions().find((f) => f.functionId === "serve-bad-target")!.instances, []);
  });
});

describe("authentication", () => {
  test("no bearer token → 403; an ID token for another audience → 401; a bearer token (or one for this uri) → 200", async () => {
    const uri = fake.functions().find((f) => f.functionId === "serve-env")!.uri;
    assert.equal((await invoke(uri, {}, null)).status, 403);
    assert.equal((await invoke(uri, {}, bearer({ aud: "http://127.0.0.1:1" }))).status, 401);
    const own = await invoke(uri, {}, bearer({ aud: uri }));
    assert.equal(own.status, 200, own.text);
    const opaque = await invoke(uri, {}, "opaque-token");
    assert.equal(opaque.status, 200, opaque.text);
  });
});

describe("admission: concurrency, max and min instances", () => {
  test("maxInstanceCount 1, concurrency 1: a second request while one runs waits, then gets 429; after release it is served warm", async () => {
    const fn = await createFromZip(client, fake, "serve-one", probeZip(), { maxInstanceCount: 1 });
    const uri = fn.serviceConfig!.uri!;
    const held = invoke(uri, { gate: gate.url, key: "one-a" });
    await gate.untilWaiting(1);
    const refused = await invoke(uri, { n: 2 });
    assert.equal(refused.status, 429);
    assert.match(refused.text, /no available instance/);
    gate.release();
    const first = await held;
    const next = await invoke(uri, { n: 3 });
    assert.deepEqual([first.status, next.status], [200, 200]);
    assert.equal(next.json!.pid, first.json!.pid, "the same instance");
    assert.equal(fake.functions().find((f) => f.functionId === "serve-one")!.instances.length, 1);
  });

  test("concurrency 2 on 1 vCPU, one instance: two requests run at once on one process, the third is refused", async () => {
    const fn = await createFromZip(client, fake, "serve-two", probeZip(), {
      maxInstanceCount: 1,
      maxInstanceRequestConcurrency: 2,
      availableCpu: "1",
      availableMemory: "512M",
    });
    const uri = fn.serviceConfig!.uri!;
    const held = [
      invoke(uri, { gate: gate.url, key: "two-a" }),
      invoke(uri, { gate: gate.url, key: "two-b" }),
    ];
    const arrivals = await gate.untilWaiting(2);
    const pids = new Set(arrivals.filter((a) => a.key.startsWith("two-")).map((a) => a.pid));
    assert.equal(pids.size, 1, "both on one instance");
    assert.equal((await invoke(uri, {})).status, 429);
    gate.release();
    assert.deepEqual(
      (await Promise.all(held)).map((r) => r.status),
      [200, 200],
    );
  });

  test("a request waiting for a slot is served when one frees within the pending window", async () => {
    const patient = await startFakeGoogle({ pendingMs: 60_000 });
    const c = realClient(patient);
    try {
      const fn = await createFromZip(c, patient, "serve-wait", probeZip(), { maxInstanceCount: 1 });
      const uri = fn.serviceConfig!.uri!;
      const held = invoke(uri, { gate: gate.url, key: "wait-a" });
      await gate.untilWaiting(1);
      const waiting = invoke(uri, { n: 1 });
      gate.release();
      const [a, b] = await Promise.all([held, waiting]);
      assert.deepEqual([a.status, b.status], [200, 200]);
      assert.equal(a.json!.pid, b.json!.pid);
    } finally {
      await c.close();
      await patient.stop();
    }
  });

  test("a caller that hangs up keeps its slot until the instance finishes (then it frees: no leak)", async () => {
    const uri = fake.functions().find((f) => f.functionId === "serve-one")!.uri;
    const abort = new AbortController();
    const gone = fetch(uri, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ gate: gate.url, key: "hangup" }),
      signal: abort.signal,
    }).catch(() => "aborted");
    await gate.untilWaiting(1);
    abort.abort();
    assert.equal(await gone, "aborted");
    assert.equal((await invoke(uri, {})).status, 429, "the instance is still busy");
    gate.release();
    const inflight = () => fake.functions().find((f) => f.functionId === "serve-one")!.instances[0]?.inflight;
    assert.ok(
      await waitFor(() => inflight() === 0, HANG_GUARD_MS),
      "the slot frees once the instance answered",
    );
    assert.equal((await invoke(uri, {})).status, 200);
  });

  test("minInstanceCount instances run before any request; without it the request starts more up to the maximum", async () => {
    await createFromZip(client, fake, "serve-min", probeZip(), { minInstanceCount: 2, maxInstanceCount: 3 });
    const view = fake.functions().find((f) => f.functionId === "serve-min")!;
    assert.equal(view.instances.length, 2);
    assert.ok(view.instances.every((i) => i.pid && isAlive(i.pid)));
  });
});

describe("failures on the data plane", () => {
  test("a request running past timeoutSeconds is a 504; the instance serves on", async () => {
    const fn = await createFromZip(client, fake, "serve-timeout", probeZip(), {
      timeoutSeconds: 1,
      maxInstanceCount: 2,
    });
    const uri = fn.serviceConfig!.uri!;
    const slow = await invoke(uri, { gate: gate.url, key: "timeout" });
    assert.deepEqual([slow.status, slow.text], [504, "upstream request timeout"]);
    gate.release();
    assert.equal((await invoke(uri, {})).status, 200);
  });

  test("an instance killed mid-request is a 503; one that exits gets the Framework's 500; each next request is a cold start", async () => {
    const fn = await createFromZip(client, fake, "serve-crash", probeZip());
    const uri = fn.serviceConfig!.uri!;
    for (const [body, status] of [
      [{ kill: true }, 503],
      [{ exit: true }, 500],
    ] as const) {
      const before = await invoke(uri, {});
      const crashed = await invoke(uri, body);
      assert.equal(crashed.status, status, JSON.stringify(body));
      assert.deepEqual(await survivors([before.json!.pid], 5000), []);
      // The fake has seen the exit (a request in the instant between the death and that is a 503).
      assert.ok(await waitFor(() => !fake.pids().includes(before.json!.pid), HANG_GUARD_MS));
      const next = await invoke(uri, {});
      assert.equal(next.status, 200, next.text);
      assert.notEqual(next.json!.pid, before.json!.pid);
      assert.equal(fake.invocations.at(-1)!.cold, true);
    }
  });
});

describe("revisions", () => {
  test("a service-config update makes a new revision: the next request is a cold start on a new process; the old one is gone", async () => {
    const fn = await createFromZip(client, fake, "serve-rev", probeZip());
    const uri = fn.serviceConfig!.uri!;
    const warm1 = await invoke(uri, {});
    const warm2 = await invoke(uri, {});
    assert.equal(warm2.json!.pid, warm1.json!.pid);
    assert.deepEqual(
      fake.invocations.filter((i) => i.functionId === "serve-rev").map((i) => i.cold),
      [true, false],
    );
    const [op] = await client.updateFunction({
      function: { name: fn.name, serviceConfig: { environmentVariables: { GREETING: "v2" } } },
      updateMask: { paths: ["service_config.environment_variables"] },
    });
    const [updated] = await op.promise();
    assert.equal(updated.serviceConfig!.uri, uri, "the uri is stable");
    const after = await invoke(uri, {});
    assert.notEqual(after.json!.pid, warm1.json!.pid);
    assert.deepEqual(
      [after.json!.served, after.json!.env.GREETING, after.json!.env.K_REVISION],
      [1, "v2", updated.serviceConfig!.revision],
    );
    assert.equal(fake.invocations.at(-1)!.cold, true);
    assert.deepEqual(await survivors([warm1.json!.pid], 5000), [], "the old revision's instance is retired");
  });

  test("new source rebuilds and the new code serves", async () => {
    const storageSource = await upload(client, fake, probeZip(2));
    const name = client.functionPath(fake.project, fake.region, "serve-rev");
    const builds = fake.builds;
    const [op] = await client.updateFunction({
      function: {
        name,
        buildConfig: { runtime: "nodejs22", entryPoint: "probe", source: { storageSource } },
      },
      updateMask: { paths: ["build_config.source"] },
    });
    const [fn] = await op.promise();
    assert.equal(fake.builds, builds + 1);
    assert.equal((await invoke(fn.serviceConfig!.uri!, {})).json!.version, 2);
  });
});

describe("stop", () => {
  test("stop() kills every instance by PID and closes every listener", async () => {
    const before = listeningSocketsOf(process.pid).length;
    const own = await startFakeGoogle();
    const c = realClient(own);
    await createFromZip(c, own, "stop-a", probeZip(), { minInstanceCount: 2 });
    // A request still running at stop() must not keep anything alive.
    const held = invoke(own.functions()[0]!.uri, { gate: gate.url, key: "stop-held" }).catch(() => null);
    await gate.untilWaiting(1);
    const pids = own.pids();
    assert.ok(pids.length >= 2);
    await c.close();
    await own.stop();
    await held;
    assert.deepEqual(pids.filter(isAlive), []);
    assert.deepEqual(await survivors(pids, 100), []);
    assert.equal(listeningSocketsOf(process.pid).length, before);
  });

  test("main.js: the fake as its own process serves, reports invocations, and takes its instances along when stdin closes", async () => {
    // stdin is a pipe the test holds: closing it is how the process is told to stop.
    const child = spawn(process.execPath, [require.resolve("./fake-google/main")], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const line = await withinGuard(
      new Promise<string>((resolve) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolve(out.split("\n")[0]!);
        });
      }),
      "main.js to print its endpoint",
    );
    const message: unknown = JSON.parse(line);
    const info = message as { endpoint: string; port: number; project: string; region: string };
    const c = realClient({
      clientOptions: () => ({ fallback: true, apiEndpoint: "127.0.0.1", port: info.port, protocol: "http" }),
    });
    try {
      const fn = await createFromZip(c, info, "main-fn", probeZip());
      const r = await invoke(fn.serviceConfig!.uri!, {});
      assert.equal(r.status, 200);
      const log = (await (await fetch(`${info.endpoint}/_fake/invocations`)).json()) as { pid: number }[];
      assert.deepEqual(
        log.map((e) => e.pid),
        [r.json!.pid],
      );
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin.end();
      await exited;
      assert.deepEqual(await survivors([r.json!.pid], 5000), []);
    } finally {
      await c.close();
      child.kill("SIGKILL");
    }
  });
});
