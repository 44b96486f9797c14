import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

/**
 * A small real file system for tests of a full disk: a tmpfs mounted on `dir` (which must exist).
 * Needs root (CAP_SYS_ADMIN); returns false, mounting nothing, where that is not allowed.
 */
export function mountTmpfs(dir: string, sizeBytes: number): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes}`, "faaslab-test", dir], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `dir` read-only from now on: a read-only bind mount of it onto itself. Files opened before
 * (say, a running instance's log) stay writable, as they are on the mount underneath. Needs root;
 * returns false, changing nothing, where that is not allowed.
 */
export function bindReadOnly(dir: string): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  try {
    execFileSync("mount", ["--bind", dir, dir], { stdio: "pipe" });
  } catch {
    return false;
  }
  try {
    execFileSync("mount", ["-o", "remount,bind,ro", dir], { stdio: "pipe" });
    return true;
  } catch {
    unmount(dir);
    return false;
  }
}

/**
 * Unmounts `dir` lazily: it is detached at once, and freed when the last file open in it (say, an
 * instance's log) is closed; the empty directory underneath stays.
 */
export function unmount(dir: string): void {
  execFileSync("umount", ["-l", dir], { stdio: "pipe" });
}

/** Whether `dir` is a mount point now (from /proc/self/mounts). */
export function isMounted(dir: string): boolean {
  const mounts = fs.readFileSync("/proc/self/mounts", "utf8").split("\n");
  return mounts.some((line) => line.split(" ")[1] === dir);
}
