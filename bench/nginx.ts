/** A throwaway nginx (Debian's) on 127.0.0.1 answering a fixed 200 JSON, for the HTTP bench. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface Nginx {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export const NGINX_BODY = '{"ok":true,"service":"nginx"}';

/** A port the kernel just gave out (and took back): free unless someone binds it in the next instant. */
async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts nginx in the foreground with its own prefix and config in a temp dir; stop() kills that PID. */
export async function startNginx(binary = "/usr/sbin/nginx"): Promise<Nginx> {
  if (spawnSync(binary, ["-v"]).error) throw new Error(`${binary} not found: apt-get install nginx-light`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-nginx-"));
  for (const sub of ["logs", "temp"]) mkdirSync(path.join(dir, sub));
  const port = await freePort();
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, "temp", name)};`;
  writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      "daemon off;",
      "master_process off;", // one process, the one we started: stopping it by PID stops nginx
      `pid ${path.join(dir, "nginx.pid")};`,
      `error_log ${path.join(dir, "logs", "error.log")} warn;`,
      "events { worker_connections 4096; }",
      "http {",
      "  access_log off;",
      `  ${temp("client_body")} ${temp("proxy")} ${temp("fastcgi")} ${temp("uwsgi")} ${temp("scgi")}`,
      "  keepalive_requests 1000000;",
      `  server { listen 127.0.0.1:${port}; location / { default_type application/json; return 200 '${NGINX_BODY}'; } }`,
      "}",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(binary, ["-p", dir, "-c", path.join(dir, "nginx.conf")], {
    stdio: "inherit",
  });
  await waitForPort(port, child);
  return {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        process.kill(child.pid!, "SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("nginx did not start listening within 5 s");
}
