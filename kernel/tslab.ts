/**
 * Access to the tslab kernel this process runs in (see kernel/README.md). Nothing here imports
 * tslab: the kernel's own instance is reached through `globalThis.__tslab__`, so a copy of tslab
 * resolved from this package (whose display API is "Not ready") is never used.
 */
import { randomBytes } from "node:crypto";
import * as path from "node:path";

/** The part of tslab's public API (dist/public.d.ts) used here. */
export interface TslabDisplay {
  html(s: string): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): unknown;
}

export interface TslabModule {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
  versions?: { tslab: string; typescript: string; node: string };
}

/** tslab's process-wide writer in dist/jupyter.js: (content, update) → display_data / update_display_data. */
type WriteDisplayData = (
  content: {
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
    transient: Record<string, unknown>;
  },
  update: boolean,
) => void;

interface TslabGlobal {
  require(id: string): unknown;
}

function tslabGlobal(): TslabGlobal | null {
  const g = (globalThis as { __tslab__?: unknown }).__tslab__;
  if (typeof g !== "object" || g === null) return null;
  return typeof (g as TslabGlobal).require === "function" ? (g as TslabGlobal) : null;
}

/** True inside a tslab kernel (cells run with `globalThis.__tslab__` set by tslab's executor). */
export function inTslab(): boolean {
  return tslabGlobal() !== null;
}

let cachedTslab: TslabModule | null | undefined;

/** The kernel's own tslab module, or null outside tslab. */
export function kernelTslab(): TslabModule | null {
  if (cachedTslab !== undefined) return cachedTslab;
  const g = tslabGlobal();
  if (g === null) return null;
  try {
    const mod = g.require("tslab") as TslabModule;
    cachedTslab = mod && typeof mod.newDisplay === "function" ? mod : null;
  } catch {
    cachedTslab = null;
  }
  return cachedTslab;
}

let cachedJupyter: { lastWriteDisplayData: WriteDisplayData | null } | null | undefined;

/**
 * tslab's internal dist/jupyter.js next to the kernel's public.js (found through require.cache), or
 * null when it cannot be found (another tslab layout): callers then fall back to the public API.
 */
function jupyterModule(): { lastWriteDisplayData: WriteDisplayData | null } | null {
  if (cachedJupyter !== undefined) return cachedJupyter;
  cachedJupyter = null;
  const tslab = kernelTslab();
  if (tslab === null) return null;
  const publicFile = Object.keys(require.cache).find((key) => require.cache[key]?.exports === tslab);
  if (publicFile === undefined) return null;
  const jupyterFile = path.join(path.dirname(publicFile), "jupyter.js");
  const mod = require.cache[jupyterFile]?.exports as { lastWriteDisplayData?: unknown } | undefined;
  if (mod && "lastWriteDisplayData" in mod) {
    cachedJupyter = mod as { lastWriteDisplayData: WriteDisplayData | null };
  }
  return cachedJupyter;
}

/**
 * Identifies the execute request being served: tslab replaces its writer for every request, so two
 * calls return the same value only within one cell (null when unknown).
 */
export function cellToken(): unknown {
  return jupyterModule()?.lastWriteDisplayData ?? null;
}

/** A fresh id for an output that is updated in place (like tslab.newDisplay()'s). */
export function newDisplayId(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Sends one display_data holding every MIME type of `data` (or, with `update`, an
 * update_display_data of the output `displayId`). Falls back to tslab's public API (HTML only, or
 * text) when tslab's internals are not where 1.0.22 has them. Returns false outside tslab or when the
 * kernel is not ready (no cell has run yet).
 */
export function sendMimeBundle(data: Record<string, unknown>, displayId?: string, update = false): boolean {
  const writer = jupyterModule()?.lastWriteDisplayData;
  if (typeof writer === "function") {
    const transient = displayId === undefined ? {} : { display_id: displayId };
    writer({ data, metadata: {}, transient }, update && displayId !== undefined);
    return true;
  }
  return sendWithPublicApi(data, displayId);
}

const fallbackDisplays = new Map<string, TslabDisplay>();

function sendWithPublicApi(data: Record<string, unknown>, displayId: string | undefined): boolean {
  const tslab = kernelTslab();
  if (tslab === null) return false;
  let target = tslab.display;
  if (displayId !== undefined) {
    target = fallbackDisplays.get(displayId) ?? tslab.newDisplay();
    fallbackDisplays.set(displayId, target);
  }
  try {
    if (typeof data["text/html"] === "string") target.html(data["text/html"]);
    else target.text(String(data["text/plain"] ?? ""));
    return true;
  } catch {
    return false; // "Not ready": no execute request seen yet
  }
}

/** For tests: forget what was found (the module caches survive between calls otherwise). */
export function resetTslabCache(): void {
  cachedTslab = undefined;
  cachedJupyter = undefined;
  fallbackDisplays.clear();
}
