import type { ScalarValue } from "./envelope";
import { currentInstance } from "./instance";
import {
  CPU_FIELDS,
  readCpuInfo,
  readCpuTimes,
  readLinuxVersion,
  readMemoryInfo,
  type CpuTimes,
} from "./proc";

/**
 * SAAF-style in-function profiler. Every attribute becomes a column of the invocation record.
 * `ctx.inspector` is one per request; `new Inspector()` inside a function works the same way.
 */
export class Inspector {
  readonly startTime = Date.now();
  private readonly attributes: Record<string, ScalarValue> = {};
  private cpuBefore: CpuTimes | null = null;
  private memoryBefore: ReturnType<typeof readMemoryInfo> | null = null;
  private userCodeStart: number | null = null;
  /** The instance's request count when this inspector was made: this request's number there. */
  private readonly invocation = currentInstance()?.invocations ?? null;

  addAttribute(key: string, value: unknown): void {
    this.attributes[key] = toScalar(value);
  }

  getAttribute(key: string): ScalarValue | undefined {
    return this.attributes[key];
  }

  /** `key` = ms from `since` (epoch ms, default: when the inspector was created) to now. */
  addTimeStamp(key: string, since: number = this.startTime): void {
    this.attributes[key] = Date.now() - since;
  }

  inspectContainer(): void {
    const instance = currentInstance();
    this.addAttribute("uuid", instance?.id ?? null);
    // Not instance.invocations now: with concurrent requests it already counts later ones. (An
    // inspector made before any request, e.g. at module scope, falls back to the live count.)
    const invocation = this.invocation || instance?.invocations;
    this.addAttribute("newcontainer", invocation === undefined ? null : invocation <= 1 ? 1 : 0);
  }

  inspectCPUInfo(): void {
    const cpu = currentInstance()?.cpu ?? readCpuInfo();
    this.addAttribute("cpuType", cpu.cpuType);
    this.addAttribute("cpuModel", cpu.cpuModel);
    this.addAttribute("cpuCores", cpu.cpuCores);
    this.addAttribute("architecture", cpu.architecture);
  }

  /** CPU time counters of the host (ms since boot) and context switches. */
  inspectCPU(): void {
    this.cpuBefore = readCpuTimes();
    if (!this.cpuBefore) return this.addAttribute("inspectorCpuError", "/proc/stat not readable");
    for (const name of CPU_FIELDS) this.addAttribute(name, this.cpuBefore[name]);
    this.addAttribute("contextSwitches", this.cpuBefore.contextSwitches);
  }

  /** CPU ms consumed since inspectCPU(), as `<field>Delta` columns. */
  inspectCPUDelta(): void {
    const after = readCpuTimes();
    if (!this.cpuBefore || !after)
      return this.addAttribute("inspectorCpuDeltaError", "call inspectCPU() first");
    for (const name of CPU_FIELDS)
      this.addAttribute(`${name}Delta`, round(after[name] - this.cpuBefore[name]));
    const before = this.cpuBefore.contextSwitches;
    this.addAttribute(
      "contextSwitchesDelta",
      before !== null && after.contextSwitches !== null ? after.contextSwitches - before : null,
    );
  }

  inspectMemory(): void {
    this.memoryBefore = readMemoryInfo();
    this.addAttribute("totalMemory", this.memoryBefore.totalMemoryKb);
    this.addAttribute("freeMemory", this.memoryBefore.freeMemoryKb);
    this.addAttribute("pageFaults", this.memoryBefore.pageFaults);
    this.addAttribute("majorPageFaults", this.memoryBefore.majorPageFaults);
    this.addAttribute("rssMb", round(process.memoryUsage.rss() / 2 ** 20));
  }

  inspectMemoryDelta(): void {
    const after = readMemoryInfo();
    const before = this.memoryBefore;
    if (!before) return this.addAttribute("inspectorMemoryDeltaError", "call inspectMemory() first");
    const delta = (a: number | null, b: number | null) => (a !== null && b !== null ? a - b : null);
    this.addAttribute("pageFaultsDelta", delta(after.pageFaults, before.pageFaults));
    this.addAttribute("majorPageFaultsDelta", delta(after.majorPageFaults, before.majorPageFaults));
  }

  inspectPlatform(): void {
    const info = currentInstance()?.info;
    this.addAttribute("platform", info?.platform ?? null);
    this.addAttribute("functionName", info?.functionName ?? null);
    this.addAttribute("functionMemory", info?.memoryMb ?? null);
    this.addAttribute("functionRegion", info?.region ?? null);
  }

  inspectLinux(): void {
    this.addAttribute("linuxVersion", readLinuxVersion());
  }

  /** Everything at once, like SAAF's inspectAll(); call inspectAllDeltas() at the end of the work. */
  inspectAll(): void {
    this.inspectContainer();
    this.inspectCPUInfo();
    this.inspectPlatform();
    this.inspectLinux();
    this.inspectMemory();
    this.inspectCPU();
    this.addTimeStamp("frameworkRuntime");
    this.userCodeStart = Date.now();
  }

  inspectAllDeltas(): void {
    const deltasStart = Date.now();
    if (this.userCodeStart !== null) this.attributes.userRuntime = deltasStart - this.userCodeStart;
    this.inspectCPUDelta();
    this.inspectMemoryDelta();
    this.addTimeStamp("frameworkRuntimeDeltas", deltasStart);
  }

  /** The attributes collected so far, with `runtime` (ms since creation) and `endTime`. */
  finish(): Record<string, ScalarValue> {
    this.addTimeStamp("runtime");
    this.attributes.endTime = Date.now();
    return { ...this.attributes };
  }

  /** The attributes as they are, without closing timestamps (used by the shim). */
  snapshot(): Record<string, ScalarValue> {
    return this.attributes;
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function toScalar(value: unknown): ScalarValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return String(value);
  }
}
