import { constants, copyFileSync, linkSync, readFileSync, rmSync, statSync, type Stats } from "node:fs";
import * as path from "node:path";
import { deploymentGone } from "../../lib/errors";
import { holdName, sha256, type LocalRef } from "./artifacts";

/**
 * The files this process's instances start from. A hold is this process's own hard link (a copy where
 * links are impossible) to a deployed copy: a redeploy, a remove() or another process may delete the
 * deployed copy while an instance of this process still has to load the file — a starting instance,
 * or the pool an experiment on an earlier definition keeps using. The bytes stay until this process
 * lets go: the hold is forgotten (remove(), a new deploy of the same hash, a damaged file) and no pool
 * uses it any more, or shutdown() and the process's exit delete them all.
 */
export interface Hold {
  /** The hold file, which instances run. */
  readonly path: string;
  /** The deployed copy it was made from. */
  readonly copy: string;
  readonly sha256: string;
  /** Pools starting instances from it. */
  pools: number;
  forgotten: boolean;
  stat: { ino: number; size: number; mtimeMs: number };
}

export class ArtifactHolds {
  private readonly table = new Map<string, Hold>();
  private readonly all = new Set<Hold>();
  private seq = 0;

  /**
   * The hold of a deployed copy: this process's existing one while intact, else a new one made from
   * the copy and checked against the deployed digest. Throws deploymentGone() when the copy is missing
   * or changed: the caller then deploys again.
   */
  acquire(ref: LocalRef, functionName: string): Hold {
    const key = `${ref.artifact}\0${ref.sha256 ?? ""}`;
    const existing = this.table.get(key);
    if (existing && this.intact(existing)) return existing;
    if (existing) this.forget((hold) => hold === existing);
    const file = path.join(path.dirname(ref.artifact), holdName(ref.artifact, ++this.seq));
    try {
      linkOrCopy(ref.artifact, file);
    } catch (e) {
      throw deploymentGone(
        `the deployed artifact of "${functionName}" (${ref.artifact}) is missing`,
        "local",
        e,
      );
    }
    const digest = sha256(readFileSync(file));
    if (ref.sha256 !== undefined && digest !== ref.sha256) {
      rmSync(file, { force: true });
      throw deploymentGone(
        `the deployed artifact of "${functionName}" (${ref.artifact}) changed since it was deployed`,
        "local",
      );
    }
    const hold: Hold = {
      path: file,
      copy: ref.artifact,
      sha256: digest,
      pools: 0,
      forgotten: false,
      stat: stamp(statSync(file)),
    };
    this.table.set(key, hold);
    this.all.add(hold);
    return hold;
  }

  /** Still the bytes it was made from? A stat per call; the digest again only when the stat changed. */
  intact(hold: Hold): boolean {
    let stat: Stats;
    try {
      stat = statSync(hold.path);
    } catch {
      return false;
    }
    const now = stamp(stat);
    if (now.ino === hold.stat.ino && now.size === hold.stat.size && now.mtimeMs === hold.stat.mtimeMs)
      return true;
    try {
      if (sha256(readFileSync(hold.path)) !== hold.sha256) return false;
    } catch {
      return false;
    }
    hold.stat = now;
    return true;
  }

  use(hold: Hold): void {
    hold.pools += 1;
  }

  /** A pool using `hold` has stopped (its instances exited). */
  release(hold: Hold): void {
    hold.pools -= 1;
    this.deleteIfUnused(hold);
  }

  /** Holds matching `which` are given to no new pool; each file goes once its pools have stopped. */
  forget(which: (hold: Hold) => boolean): void {
    for (const [key, hold] of this.table) {
      if (!which(hold)) continue;
      this.table.delete(key);
      hold.forgotten = true;
      this.deleteIfUnused(hold);
    }
  }

  /** Deletes every hold file of this process (shutdown, exit): synchronous, for 'exit' handlers. */
  deleteAll(): void {
    this.table.clear();
    for (const hold of this.all) rmSync(hold.path, { force: true });
    this.all.clear();
  }

  private deleteIfUnused(hold: Hold): void {
    if (!hold.forgotten || hold.pools > 0) return;
    this.all.delete(hold);
    rmSync(hold.path, { force: true });
  }
}

function linkOrCopy(from: string, to: string): void {
  // A file by this name is left from an earlier process with this PID: never write into it (it may
  // share its bytes with a deployed copy), replace it.
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch (e) {
    // A file system without hard links: a copy costs the bytes, but keeps them just as well.
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw e;
    copyFileSync(from, to, constants.COPYFILE_EXCL);
  }
}

function stamp(stat: Stats): Hold["stat"] {
  return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
}

/** One table per process, whichever platform object (shutdown() ends one, the next call makes another). */
export const processHolds = new ArtifactHolds();

// A script or kernel that exits leaves no hold behind (a killed one's are cleaned by the next deploy).
process.on("exit", () => processHolds.deleteAll());
