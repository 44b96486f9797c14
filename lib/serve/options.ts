import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { ConfigError } from "../errors";

/** serve(fn, options): where to listen and who may call. */
export interface ServeOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind; default "127.0.0.1". Any non-loopback address requires a bearer token. */
  host?: string;
  /**
   * The bearer token callers must send (`Authorization: Bearer <token>`). Required off loopback: when
   * missing there, one is generated and printed once. Optional on loopback.
   */
  token?: string;
  /** How long close() waits for requests in flight before it cuts them off; default 10,000 ms. */
  drainMs?: number;
  /** Where serve() prints the generated token (default console.log). */
  log?: (line: string) => void;
}

export interface ResolvedServeOptions {
  port: number;
  host: string;
  token: string | null;
  /** Whether `token` was generated here (and must be shown once). */
  generated: boolean;
  drainMs: number;
  log: (line: string) => void;
}

const KNOWN = new Set(["port", "host", "token", "drainMs", "log"]);
/** A token travels in a header: visible ASCII only, and long enough not to be guessed. */
const TOKEN = /^[\x21-\x7e]{16,4096}$/;

/** Checks every option at once (ConfigError lists all problems) and fills in the defaults. */
export function resolveServeOptions(options: ServeOptions = {}): ResolvedServeOptions {
  const problems: string[] = [];
  if (typeof options !== "object" || options === null)
    throw new ConfigError(["serve options must be an object"]);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) problems.push(`unknown serve option "${key}" (known: ${[...KNOWN].join(", ")})`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`"port" must be an integer from 0 to 65535 (0: a free port), got ${String(port)}`);
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "" || /[\s/]/.test(host))
    problems.push(`"host" must be an address or host name, like "127.0.0.1" or "0.0.0.0"`);
  const token = options.token;
  if (token !== undefined && (typeof token !== "string" || !TOKEN.test(token)))
    problems.push(`"token" must be 16 to 4096 visible ASCII characters (no spaces)`);
  const drainMs = options.drainMs ?? 10_000;
  if (typeof drainMs !== "number" || !(drainMs >= 0) || drainMs > 3_600_000)
    problems.push(`"drainMs" must be a number of milliseconds from 0 to 3,600,000`);
  if (options.log !== undefined && typeof options.log !== "function")
    problems.push(`"log" must be a function`);
  if (problems.length) throw new ConfigError(problems);
  const needsToken = !isLoopback(host);
  const generated = needsToken && token === undefined;
  return {
    port,
    host,
    token: token ?? (generated ? randomBytes(24).toString("base64url") : null),
    generated,
    drainMs,
    log: options.log ?? ((line) => console.log(line)),
  };
}

/** Addresses only this machine can reach: 127.0.0.0/8, ::1 and "localhost". */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || /^::ffff:127\./.test(bare);
  return false;
}
