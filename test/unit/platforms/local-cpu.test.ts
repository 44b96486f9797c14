// The local platform's CPU rule (config `cpu` → vCPUs), its validation, and the measurements the
// duty cycle relies on. The mechanisms themselves are exercised on real processes in
// test/integration/cpu-share.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveConfig } from "../../../lib/config/layers";
import { ConfigError } from "../../../lib/errors";
import { quotaUs } from "../../../platforms/local/cpu-cgroup";
import { cpuTimeMs } from "../../../platforms/local/cpu-duty-cycle";
import { capNote, cpuShare, MB_PER_VCPU } from "../../../platforms/local/cpu-share";

function problems(options: Record<string, unknown>): string[] {
  try {
    resolveConfig("local", {}, options, undefined);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

test('cpu "memory" gives memory / 1769 vCPU, as on Lambda', () => {
  assert.deepEqual(cpuShare({ memory: MB_PER_VCPU, cpu: "memory" }, 2), {
    vcpu: 1,
    limited: true,
    wanted: 1,
  });
  assert.equal(cpuShare({ memory: 128, cpu: "memory" }, 2).vcpu, 0.0724);
  assert.equal(cpuShare({ memory: 512, cpu: "memory" }, 2).vcpu, 0.2894);
});

test("a share is capped by the machine's cores, and the cap is said, not silent", () => {
  const share = cpuShare({ memory: 10240, cpu: "memory" }, 2);
  assert.deepEqual(share, { vcpu: 2, limited: false, wanted: 5.7886 });
  assert.match(capNote({ memory: 10240, cpu: "memory" }, 2) ?? "", /5\.7886 vCPU.*2 cores.*gets 2/);
  assert.equal(cpuShare({ memory: 512, cpu: 3 }, 2).vcpu, 2);
  assert.match(capNote({ memory: 512, cpu: 3 }, 2) ?? "", /cpu asks for 3 vCPU/);
  assert.equal(capNote({ memory: 512, cpu: "memory" }, 2), null);
});

test("a fixed cpu ignores memory; cpu null is no limit (the whole machine); absent cpu is the default", () => {
  assert.deepEqual(cpuShare({ memory: 128, cpu: 0.5 }, 4), { vcpu: 0.5, limited: true, wanted: 0.5 });
  assert.deepEqual(cpuShare({ memory: 128, cpu: null }, 4), { vcpu: 4, limited: false, wanted: null });
  assert.equal(cpuShare({ memory: 1769 }, 4).vcpu, 1);
});

test('config validation: cpu takes a number, "memory" or null, and is reported with the other problems', () => {
  assert.deepEqual(problems({ cpu: "memory" }), []);
  assert.deepEqual(problems({ cpu: null }), []);
  assert.deepEqual(problems({ cpu: 0.25 }), []);
  const found = problems({ cpu: "fast", memory: 10 });
  assert.equal(found.length, 2, JSON.stringify(found));
  assert.ok(found.includes('"cpu" must be a number or "memory" or null, got "fast"'), found.join("\n"));
  assert.match(problems({ cpu: 0 })[0], /"cpu" must be at least 0\.01 vCPU, got 0/);
  assert.match(problems({ cpu: 1769 })[0], /"cpu" must be at most 256 vCPU/);
});

test("a CFS quota is the share of a 100 ms period, at least the kernel's 1 ms", () => {
  assert.equal(quotaUs(0.0724), 7240);
  assert.equal(quotaUs(1), 100_000);
  assert.equal(quotaUs(2), 200_000);
  assert.equal(quotaUs(0.001), 1000);
});

test(
  "cpuTimeMs reads a process's CPU time from /proc, and null once there is none",
  { skip: process.platform !== "linux" },
  () => {
    const before = cpuTimeMs(process.pid);
    assert.equal(typeof before, "number");
    const spent = () => process.cpuUsage().user + process.cpuUsage().system;
    const until = spent() + 60_000;
    while (spent() < until) {
      // 60 ms of CPU: more than /proc's 10 ms resolution
    }
    const after = cpuTimeMs(process.pid)!;
    assert.ok(after - before! >= 40, `CPU time grew by ${after - before!} ms`);
    assert.equal(cpuTimeMs(2 ** 22 + 1), null);
  },
);
