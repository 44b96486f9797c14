import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as os from "node:os";
import {
  CPU_FIELDS,
  readBootTime,
  readCpuInfo,
  readCpuTimes,
  readLinuxVersion,
  readMemoryInfo,
} from "../../../lib/runtime/proc";

const hasProc = existsSync("/proc/vmstat") && existsSync("/proc/stat");
const linuxOnly = { skip: hasProc ? false : "needs Linux /proc" };

/** A counter from /proc/vmstat, read here with a plain line split (not the code under test). */
function vmstat(name: string): number {
  for (const line of readFileSync("/proc/vmstat", "utf8").split("\n")) {
    const [key, value] = line.split(" ");
    if (key === name) return Number(value);
  }
  throw new Error(`${name} not in /proc/vmstat`);
}

function meminfoKb(name: string): number {
  const line = readFileSync("/proc/meminfo", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  assert.ok(line, name);
  return Number(line.split(/\s+/)[1]);
}

/** The aggregate cpu line of /proc/stat in clock ticks. */
function cpuTicks(): number[] {
  const line = readFileSync("/proc/stat", "utf8")
    .split("\n")
    .find((l) => l.startsWith("cpu "));
  assert.ok(line);
  return line.split(/\s+/).slice(1).filter(Boolean).map(Number);
}

test("readMemoryInfo: majorPageFaults is the pgmajfault counter of /proc/vmstat", linuxOnly, () => {
  const before = vmstat("pgmajfault");
  const info = readMemoryInfo();
  const after = vmstat("pgmajfault");
  assert.equal(typeof info.majorPageFaults, "number");
  assert.ok(
    info.majorPageFaults! >= before && info.majorPageFaults! <= after,
    `${before} ≤ ${info.majorPageFaults} ≤ ${after}`,
  );
});

test("readMemoryInfo: pageFaults is pgfault, not pgmajfault", linuxOnly, () => {
  const before = vmstat("pgfault");
  const info = readMemoryInfo();
  const after = vmstat("pgfault");
  assert.ok(
    info.pageFaults! >= before && info.pageFaults! <= after,
    `${before} ≤ ${info.pageFaults} ≤ ${after}`,
  );
  // minor faults vastly outnumber major faults on any running system
  assert.ok(info.pageFaults! > info.majorPageFaults!);
});

test("readMemoryInfo: total memory is MemTotal in kB and free memory is at most that", linuxOnly, () => {
  const info = readMemoryInfo();
  assert.equal(info.totalMemoryKb, meminfoKb("MemTotal"));
  assert.equal(info.totalMemoryKb, Math.round(os.totalmem() / 1024));
  assert.ok(info.freeMemoryKb! > 0 && info.freeMemoryKb! <= info.totalMemoryKb!);
});

test("readCpuTimes: /proc/stat clock ticks converted to ms", linuxOnly, () => {
  const ticksBefore = cpuTicks();
  const times = readCpuTimes();
  const ticksAfter = cpuTicks();
  assert.ok(times);
  const msPerTick = 1000 / 100; // USER_HZ is 100 on Linux
  CPU_FIELDS.forEach((name, i) => {
    const low = (ticksBefore[i] ?? 0) * msPerTick;
    const high = (ticksAfter[i] ?? 0) * msPerTick;
    assert.ok(times[name] >= low && times[name] <= high, `${name}: ${low} ≤ ${times[name]} ≤ ${high}`);
  });
  assert.ok(times.cpuIdle > 0, "a running host has idle time");
  assert.equal(typeof times.contextSwitches, "number");
  assert.ok(times.contextSwitches! > 0);
});

test("readCpuTimes: the tick rate parameter scales the values", linuxOnly, () => {
  const at100 = readCpuTimes(100)!;
  const at1000 = readCpuTimes(1000)!;
  // ten times the tick rate means a tenth of the ms (the counters only grow between the two reads)
  assert.ok(at1000.cpuIdle <= at100.cpuIdle / 10 + 1000);
  assert.ok(at1000.cpuIdle >= at100.cpuIdle / 10 - 1);
});

test("readBootTime: btime of /proc/stat, in epoch seconds, consistent with uptime", linuxOnly, () => {
  const boot = readBootTime();
  assert.equal(typeof boot, "number");
  const fromUptime = Date.now() / 1000 - os.uptime();
  assert.ok(Math.abs(boot! - fromUptime) < 5, `btime ${boot} vs now − uptime ${fromUptime}`);
});

test("readCpuInfo: cores match os.cpus() and the architecture uses kernel names", () => {
  const info = readCpuInfo();
  assert.equal(info.cpuCores, os.cpus().length);
  const expectedArch = os.arch() === "x64" ? "x86_64" : os.arch();
  assert.equal(info.architecture, expectedArch);
  assert.equal(typeof info.cpuType, "string");
  assert.ok(info.cpuType!.length > 0);
});

test("readLinuxVersion: the trimmed /proc/version line", linuxOnly, () => {
  const version = readLinuxVersion();
  assert.equal(version, readFileSync("/proc/version", "utf8").trim());
  assert.match(version!, /^Linux version /);
});
