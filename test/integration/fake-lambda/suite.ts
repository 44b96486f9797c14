import assert from "node:assert/strict";
import { after, before } from "node:test";
import { configure, shutdown } from "../../../lib";
import { survivors } from "../../helpers/processes";
import { removeDir, tempDir } from "../../helpers/workspace";
import { useFakeAwsEnv } from "./aws-env";
import { startFakeLambda, type FakeLambda, type FakeLambdaOptions } from "./server";

export const TEST_ROLE = "arn:aws:iam::123456789012:role/faaslab-test";

export interface FakeAwsSuite {
  /** The running fake (valid inside tests and hooks). */
  readonly fake: FakeLambda;
  readonly workspace: string;
  /** The aws config that points faaslab at the fake. */
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  /** "Operation status" of every API call since `mark` (fake.calls.length taken earlier). */
  callsSince(mark: number): string[];
}

/**
 * The frame of an end-to-end file on `aws`: fake credentials in the environment, a fake Lambda on
 * 127.0.0.1, a temp workspace; at the end shutdown(), the fake closed, and no environment left.
 */
export function fakeAwsSuite(name: string, options: FakeLambdaOptions = {}): FakeAwsSuite {
  let fake: FakeLambda | undefined;
  let restoreEnv: (() => void) | undefined;
  const workspace = tempDir(name);
  const seen = new Set<number>();
  before(async () => {
    restoreEnv = useFakeAwsEnv();
    fake = await startFakeLambda(options);
    configure({ workspace });
  });
  after(async () => {
    try {
      await shutdown();
      for (const pid of fake?.pids() ?? []) seen.add(pid);
      await fake?.close();
      assert.deepEqual(await survivors(seen, 2000), [], "execution environments left after close()");
    } finally {
      restoreEnv?.();
      removeDir(workspace);
    }
  });
  return {
    get fake() {
      assert.ok(fake, "the fake Lambda is started in before()");
      return fake;
    },
    workspace,
    config: (extra = {}) => ({ endpoint: fake?.endpoint, role: TEST_ROLE, ...extra }),
    callsSince: (mark) => (fake?.calls ?? []).slice(mark).map((c) => `${c.operation} ${c.status}`),
  };
}
