// What an instance started, seen from outside: the user function below reports the PIDs of the
// processes it spawns, and groupMembers() finds processes by process group (never by name).
import * as fs from "node:fs";

/** How the function starts its long-lived child process. */
export type SpawnMode = "ignore" | "inherit" | "detached";

/** What spawnSleeper() returns: its instance's PID and the PID of the child it left running. */
export interface Spawned {
  pid: number;
  child: number;
}

/**
 * Starts `sleep 300` as the payload says and returns at once, leaving it running; or, when asked,
 * writes both PIDs to a file and spins until the timeout stops the instance. Self-contained: only its
 * source text is deployed.
 */
export const spawnSleeper = async (payload: {
  mode: SpawnMode;
  spinReportingTo?: string;
}): Promise<Spawned> => {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const detached = payload.mode === "detached";
  const stdio: "ignore" | "inherit" = payload.mode === "inherit" ? "inherit" : "ignore";
  const child = spawn("sleep", ["300"], { stdio, detached });
  if (detached) child.unref();
  await new Promise((resolve) => child.once("spawn", resolve));
  if (payload.spinReportingTo) {
    const fs = require("node:fs") as typeof import("node:fs");
    fs.writeFileSync(payload.spinReportingTo, JSON.stringify({ pid: process.pid, child: child.pid }));
    for (;;) {
      // stopped only by killing the instance
    }
  }
  return { pid: process.pid, child: child.pid as number };
};

/** Live (non-zombie) processes whose process group is `pgid`, from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") members.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

/** Kills what a failed test left behind: the given PIDs, which the test's own function started. */
export function killLeftovers(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
