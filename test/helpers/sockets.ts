import * as fs from "node:fs";

/** Inodes of the sockets a process holds open (/proc/<pid>/fd links "socket:[inode]"). */
export function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed while we looked
    }
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]);
  }
  return inodes;
}

const TCP_LISTEN = "0A";

/** Inodes of TCP sockets in LISTEN state in the process's network namespace (/proc/<pid>/net/tcp, tcp6). */
export function listeningTcpInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${pid}/net/${table}`, "utf8");
    } catch {
      continue; // no IPv6 in this kernel
    }
    for (const line of text.trim().split("\n").slice(1)) {
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
      const fields = line.trim().split(/\s+/);
      if (fields[3] === TCP_LISTEN) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** TCP ports `pid` itself listens on (socket inodes it owns that are in LISTEN state). */
export function listeningSocketsOf(pid: number): string[] {
  const listening = listeningTcpInodes(pid);
  return [...socketInodes(pid)].filter((inode) => listening.has(inode));
}

/** Whether anything in this network namespace listens on TCP `port` (/proc/net/tcp and tcp6, any address). */
export function someoneListensOn(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = fs.readFileSync(`/proc/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.trim().split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === TCP_LISTEN && fields[1].endsWith(`:${hexPort}`)) return true;
    }
  }
  return false;
}

/** The processes holding a socket that listens on TCP `port` ("pid (command line)"), for failure messages. */
export function listenersOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["tcp", "tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(`/proc/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.trim().split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === TCP_LISTEN && fields[1].endsWith(`:${hexPort}`)) inodes.add(fields[9]);
    }
  }
  const holders: string[] = [];
  for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    let held: Set<string>;
    try {
      held = socketInodes(Number(entry));
    } catch {
      continue; // gone, or not ours to read
    }
    if ([...held].some((inode) => inodes.has(inode))) {
      let command = "";
      try {
        command = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      } catch {
        command = "?";
      }
      holders.push(`${entry} (${command.slice(0, 200)})`);
    }
  }
  return holders;
}
