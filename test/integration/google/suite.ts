import assert from "node:assert/strict";
import { after, before } from "node:test";
import { configure, shutdown } from "../../../lib";
import { survivors } from "../../helpers/processes";
import { removeDir, tempDir } from "../../helpers/workspace";
import { startFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from "../fake-google/server";

export interface FakeGoogleSuite {
  /** The running fake (valid inside tests and hooks). */
  readonly fake: FakeGoogle;
  readonly workspace: string;
  /** The google config that points faaslab at the fake (its project, its endpoint). */
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  /** "method status" of every API call since `mark` (fake.calls.length taken earlier). */
  callsSince(mark: number): string[];
}

/**
 * The frame of an end-to-end file on `google`: no Google credentials in the environment (calls to
 * the emulator go unsigned), the fake API on 127.0.0.1, a temp workspace; at the end shutdown(), the
 * fake stopped, and no instance process left.
 */
export function fakeGoogleSuite(name: string, options: FakeGoogleOptions = {}): FakeGoogleSuite {
  let fake: FakeGoogle | undefined;
  const workspace = tempDir(name);
  const savedCredentials = process.env.GOOGLE_APPLICATION_CREDENTIALS;
  before(async () => {
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    fake = await startFakeGoogle(options);
    configure({ workspace });
  });
  after(async () => {
    try {
      await shutdown();
      const pids = new Set(fake?.pids() ?? []);
      await fake?.stop();
      assert.deepEqual(await survivors(pids, 2000), [], "instances left after stop()");
    } finally {
      if (savedCredentials !== undefined) process.env.GOOGLE_APPLICATION_CREDENTIALS = savedCredentials;
      removeDir(workspace);
    }
  });
  return {
    get fake() {
      assert.ok(fake, "the fake is started in before()");
      return fake;
    },
    workspace,
    config: (extra = {}) => ({ project: fake?.project, endpoint: fake?.endpoint, ...extra }),
    callsSince: (mark) => (fake?.calls ?? []).slice(mark).map((c) => `${c.method} ${c.status}`),
  };
}
