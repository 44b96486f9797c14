import { readFileSync } from "node:fs";

// node:os is required lazily: every builtin loaded at startup adds to an instance's cold start.
const os = (): typeof import("node:os") => require("node:os");

/** Readers for Linux /proc, used by the Inspector. Every reader returns null where /proc is missing. */

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

export interface CpuInfo {
  cpuType: string | null;
  cpuModel: string | null;
  cpuCores: number | null;
  architecture: string;
}

export function readCpuInfo(): CpuInfo {
  const text = readText("/proc/cpuinfo");
  const architecture = process.arch === "x64" ? "x86_64" : process.arch;
  if (text === null) {
    const cpus = os().cpus();
    return { cpuType: cpus[0]?.model ?? null, cpuModel: null, cpuCores: cpus.length || null, architecture };
  }
  const field = (re: RegExp) => re.exec(text)?.[1]?.trim() ?? null;
  const cores = (text.match(/^processor\s*:/gm) ?? []).length;
  // x86 names the CPU in "model name"; ARM has no model name, only "CPU part"/"Model".
  const cpuType =
    field(/^model name\s*:\s*(.*)$/m) ?? field(/^Model\s*:\s*(.*)$/m) ?? os().cpus()[0]?.model ?? null;
  const cpuModel = field(/^model\s*:\s*(.*)$/m) ?? field(/^CPU part\s*:\s*(.*)$/m);
  return { cpuType, cpuModel, cpuCores: cores || null, architecture };
}

/** Host boot time in epoch seconds (/proc/stat btime). */
export function readBootTime(): number | null {
  const text = readText("/proc/stat");
  const m = text === null ? null : /^btime\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

export const CPU_FIELDS = [
  "cpuUser",
  "cpuNice",
  "cpuKernel",
  "cpuIdle",
  "cpuIOWait",
  "cpuIrq",
  "cpuSoftIrq",
  "cpuSteal",
  "cpuGuest",
  "cpuGuestNice",
] as const;
export type CpuField = (typeof CPU_FIELDS)[number];
export type CpuTimes = Record<CpuField, number> & { contextSwitches: number | null };

/** The aggregate "cpu" line of /proc/stat, converted from clock ticks to ms. */
export function readCpuTimes(ticksPerSecond = 100): CpuTimes | null {
  const text = readText("/proc/stat");
  const line = text === null ? null : /^cpu\s+(.*)$/m.exec(text);
  if (!text || !line) return null;
  const values = line[1].trim().split(/\s+/).map(Number);
  const times = {} as CpuTimes;
  CPU_FIELDS.forEach((name, i) => {
    times[name] = ((values[i] ?? 0) * 1000) / ticksPerSecond;
  });
  const ctxt = /^ctxt\s+(\d+)/m.exec(text);
  times.contextSwitches = ctxt ? Number(ctxt[1]) : null;
  return times;
}

export interface MemoryInfo {
  totalMemoryKb: number | null;
  freeMemoryKb: number | null;
  pageFaults: number | null;
  /** The kernel field is pgmajfault (SAAF looks for "mgmajfault" and never finds it). */
  majorPageFaults: number | null;
}

export function readMemoryInfo(): MemoryInfo {
  const meminfo = readText("/proc/meminfo") ?? "";
  const vmstat = readText("/proc/vmstat") ?? "";
  const num = (text: string, re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  return {
    totalMemoryKb: num(meminfo, /^MemTotal:\s+(\d+)/m),
    freeMemoryKb: num(meminfo, /^MemFree:\s+(\d+)/m),
    pageFaults: num(vmstat, /^pgfault\s+(\d+)/m),
    majorPageFaults: num(vmstat, /^pgmajfault\s+(\d+)/m),
  };
}

export function readLinuxVersion(): string | null {
  return readText("/proc/version")?.trim() ?? null;
}
