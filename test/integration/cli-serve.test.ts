// `faaslab serve NAME` as a real child process (the compiled bin) serving a function deployed in a
// workspace: it answers over HTTP, prints the URL (and a generated token off loopback), and on
// SIGTERM/SIGINT stops: exit 0, nothing listening, its instances gone.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, test } from "node:test";
import { cloudFunction, configure, shutdown } from "../../lib";
import { CLI, runCli } from "../helpers/cli";
import { HANG_GUARD_MS } from "../helpers/guard";
import { httpRequest, postJson } from "../helpers/http-client";
import { childPids, survivors } from "../helpers/processes";
import { someoneListensOn } from "../helpers/sockets";
import { removeDir, tempDir } from "../helpers/workspace";

const workspace = tempDir("cli-serve");

before(async () => {
  configure({ workspace, platform: "local" });
  await cloudFunction("served_add", async (p: { n: number }) => ({
    sum: p.n + 1,
    pid: process.pid,
  })).deploy();
  await shutdown(); // the CLI, not this process, runs the instances
});
after(async () => {
  try {
    await shutdown();
    assert.deepEqual(await survivors(childPids(), 2000), [], "no child process is left");
  } finally {
    removeDir(workspace);
  }
});

interface Serving {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `faaslab serve …` and resolves once it printed the URL it serves at. */
function startServe(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [CLI, "serve", ...args, "--workspace", workspace], { stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no URL within ${HANG_GUARD_MS} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, HANG_GUARD_MS);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = / at (http:\/\/\S+\/)\n/.exec(stdout)?.[1];
      if (url) {
        clearTimeout(guard);
        resolve({ child, url, stdout: () => stdout, exited });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(guard);
      reject(new Error(`exited early with ${code}; stdout: ${stdout}; stderr: ${stderr}`));
    });
  });
}

test("faaslab serve NAME answers over HTTP; SIGTERM stops it: exit 0, no listener, no instance", async () => {
  const serving = await startServe(["served_add", "--port", "0"]);
  try {
    assert.match(serving.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(serving.stdout(), /^Serving served_add \(local\) at /m);
    const answer = await postJson(serving.url, { n: 41 });
    assert.equal(answer.status, 200, answer.text);
    const { sum, pid } = answer.json as { sum: number; pid: number };
    assert.equal(sum, 42);
    assert.equal(answer.headers["x-faaslab-cold-start"], "true");
    const query = await httpRequest(`${serving.url}?n=1`);
    assert.equal((query.json as { sum: string }).sum, "11", "a query value is a string");

    serving.child.kill("SIGTERM");
    const exit = await serving.exited;
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stderr, /SIGTERM: stopping/);
    assert.equal(someoneListensOn(Number(new URL(serving.url).port)), false);
    assert.deepEqual(await survivors([pid], 5000), [], "the CLI's instance stopped with it");
  } finally {
    serving.child.kill("SIGKILL");
  }
});

test("faaslab serve --host 0.0.0.0 prints a generated token once; requests without it get 401", async () => {
  const serving = await startServe(["served_add", "--port", "0", "--host", "0.0.0.0"]);
  try {
    const token = /Bearer ([\x21-\x7e]+)"/.exec(serving.stdout())?.[1];
    assert.ok(token, serving.stdout());
    assert.equal(serving.stdout().split(token).length, 2, "the token appears once");
    const local = serving.url.replace("0.0.0.0", "127.0.0.1");
    assert.equal((await postJson(local, { n: 1 })).status, 401);
    const ok = await postJson(local, { n: 1 }, { authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    serving.child.kill("SIGINT");
    assert.equal((await serving.exited).code, 0);
  } finally {
    serving.child.kill("SIGKILL");
  }
});

test("faaslab serve of an unknown function or with a bad port fails with a message", async () => {
  const missing = await runCli(["serve", "no_such_fn", "--workspace", workspace]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no deployed function "no_such_fn".*deployed here: served_add/);
  const badPort = await runCli(["serve", "served_add", "--port", "eighty"]);
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /--port must be a number/);
  const noName = await runCli(["serve"]);
  assert.equal(noName.code, 2);
});
