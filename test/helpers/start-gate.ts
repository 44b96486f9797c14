import * as fs from "node:fs";
import * as path from "node:path";
import { waitFor } from "./processes";
import { removeDir, tempDir } from "./workspace";

/** Where a gated process waits: before any of its own code loads ("start"), or in a request ("serve"). */
export type Stage = "start" | "serve";

/**
 * Holds instance processes at a chosen moment for as long as a test needs, so a signal can be sent to
 * an instance that is provably at that moment, without guessing with a sleep.
 *
 * "start": `environment` puts a `--require` hook in NODE_OPTIONS. Node runs it before the artifact,
 * so the process is held before faaslab's shim has loaded (no IPC listener, no SIGINT listener: a
 * signal has its default effect). The hook blocks synchronously, as a slow start would.
 * "serve": the function `gatedFunction` (its payload names the gate) waits inside a request.
 *
 * A held process announces itself with a file `held-<stage>-<pid>`; `release(stage)` lets every
 * process waiting at that stage go on.
 */
export class StartGate {
  readonly dir = tempDir("gate");
  private readonly seen = new Set<string>();

  constructor() {
    fs.writeFileSync(this.hookPath, hookSource(this.dir));
  }

  private get hookPath(): string {
    return path.join(this.dir, "hold.js");
  }

  /** The function's `environment` that holds each of its processes at "start". */
  get environment(): Record<string, string> {
    return { NODE_OPTIONS: `--require ${JSON.stringify(this.hookPath)}` };
  }

  /** The PID of the next process held at `stage` (one not returned before); throws after `timeoutMs`. */
  async next(stage: Stage, timeoutMs: number): Promise<number> {
    let found: string | undefined;
    const arrived = () => {
      found = fs.readdirSync(this.dir).find((f) => f.startsWith(`held-${stage}-`) && !this.seen.has(f));
      return found !== undefined;
    };
    if (!(await waitFor(arrived, timeoutMs)) || !found) {
      throw new Error(`no process was held at "${stage}" within ${timeoutMs} ms`);
    }
    this.seen.add(found);
    return Number(found.slice(`held-${stage}-`.length));
  }

  release(stage: Stage): void {
    fs.writeFileSync(path.join(this.dir, `go-${stage}`), "");
  }

  remove(): void {
    removeDir(this.dir);
  }
}

/** The NODE_OPTIONS hook: announce, then block the whole process until released (or give up after 60 s). */
function hookSource(dir: string): string {
  return `"use strict";
const fs = require("node:fs");
const path = require("node:path");
const dir = ${JSON.stringify(dir)};
fs.writeFileSync(path.join(dir, "held-start-" + process.pid), "");
const cell = new Int32Array(new SharedArrayBuffer(4));
const giveUp = Date.now() + 60000;
while (!fs.existsSync(path.join(dir, "go-start"))) {
  if (Date.now() > giveUp) throw new Error("start gate: never released");
  Atomics.wait(cell, 0, 0, 5);
}
`;
}

/**
 * A function held at "serve" until the gate named by its payload releases it; returns its PID. Self-
 * contained (its source text is what gets deployed).
 */
export const gatedFunction = async (payload: { gate: string }): Promise<{ pid: number }> => {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  fs.writeFileSync(path.join(payload.gate, `held-serve-${process.pid}`), "");
  while (!fs.existsSync(path.join(payload.gate, "go-serve"))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { pid: process.pid };
};
