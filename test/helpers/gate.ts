// A gate that deployed functions wait at until the test lets them go, so "these requests run at the
// same time" or "this request is still running" is true by construction instead of by guessed sleeps.
// The gate is an HTTP server on 127.0.0.1 in the test process; `gated` (below) is the function side.
import { EventEmitter } from "node:events";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { HANG_GUARD_MS } from "./guard";

/** One request that reached the gate: which instance (pid) sent it, with which key, and when. */
export interface Arrival {
  key: string;
  pid: number;
  at: number;
  released: boolean;
}

export class Gate {
  readonly arrivals: Arrival[] = [];
  private readonly held: { arrival: Arrival; response: http.ServerResponse }[] = [];
  private readonly events = new EventEmitter();
  private passes = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Starts a gate listening on an ephemeral port of 127.0.0.1. */
  static async open(): Promise<Gate> {
    let gate: Gate | null = null;
    const server = http.createServer((request, response) => gate?.arrive(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    const { port } = server.address() as AddressInfo;
    gate = new Gate(server, `http://127.0.0.1:${port}/gate`);
    return gate;
  }

  /** Requests waiting at the gate now. */
  get waiting(): number {
    return this.held.length;
  }

  /** The next `n` arrivals are answered at once instead of held. */
  letThrough(n: number): void {
    this.passes += n;
  }

  /** Resolves with the arrivals once `n` requests reached the gate in all (held or let through). */
  untilArrivals(n: number, guardMs = HANG_GUARD_MS): Promise<Arrival[]> {
    return this.until(
      () => this.arrivals.length >= n,
      guardMs,
      () => `${n} arrivals`,
    );
  }

  /** Resolves once at least `n` requests are held at the gate at the same time. */
  untilWaiting(n: number, guardMs = HANG_GUARD_MS): Promise<Arrival[]> {
    return this.until(
      () => this.held.length >= n,
      guardMs,
      () => `${n} requests waiting at once`,
    );
  }

  /** Answers the `count` oldest held requests (all by default); returns how many were released. */
  release(count = Infinity): number {
    const released = this.held.splice(0, count);
    for (const { arrival, response } of released) answer(arrival, response);
    return released.length;
  }

  /** Releases everything still held and stops the server (and its kept-alive connections). */
  async close(): Promise<void> {
    this.passes = Infinity;
    this.release();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private arrive(request: http.IncomingMessage, response: http.ServerResponse): void {
    const query = new URL(request.url ?? "/", this.url).searchParams;
    const arrival: Arrival = {
      key: query.get("key") ?? "",
      pid: Number(query.get("pid")),
      at: Date.now(),
      released: false,
    };
    this.arrivals.push(arrival);
    // A held caller that dies (its instance was killed) is simply no longer waiting.
    response.on("close", () => {
      const index = this.held.findIndex((h) => h.response === response);
      if (index >= 0) this.held.splice(index, 1);
    });
    if (this.passes > 0) {
      this.passes -= 1;
      answer(arrival, response);
    } else {
      this.held.push({ arrival, response });
    }
    this.events.emit("change");
  }

  private until(check: () => boolean, guardMs: number, what: () => string): Promise<Arrival[]> {
    return new Promise((resolve, reject) => {
      const done = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.events.off("change", done);
        resolve([...this.arrivals]);
      };
      const timer = setTimeout(() => {
        this.events.off("change", done);
        reject(
          new Error(
            `gate: waited ${guardMs} ms for ${what()}; ${this.arrivals.length} arrived, ${this.held.length} waiting`,
          ),
        );
      }, guardMs);
      this.events.on("change", done);
      done();
    });
  }
}

function answer(arrival: Arrival, response: http.ServerResponse): void {
  arrival.released = true;
  response.end(JSON.stringify({ releasedAt: Date.now() }));
}

/** What `gated` returns: which process served the request and when it was in the function (epoch ms). */
export interface GatedResult {
  pid: number;
  key: string | null;
  startedAt: number;
  endedAt: number;
}

/**
 * A user function (self-contained: only its source is shipped): with `gate`, it reports at the gate
 * and returns only when the test releases it; without, it returns at once (after `ms`, if given).
 */
export const gated = async (payload: { gate?: string; key?: string; ms?: number }): Promise<GatedResult> => {
  const startedAt = Date.now();
  if (payload.ms) await new Promise((resolve) => setTimeout(resolve, payload.ms));
  if (payload.gate) {
    const http = require("node:http") as typeof import("node:http");
    const url = `${payload.gate}?key=${encodeURIComponent(payload.key ?? "")}&pid=${process.pid}`;
    await new Promise<void>((resolve, reject) => {
      http
        .get(url, { agent: false }, (response) => {
          response.resume();
          response.on("end", resolve);
          response.on("error", reject);
        })
        .on("error", reject);
    });
  }
  return { pid: process.pid, key: payload.key ?? null, startedAt, endedAt: Date.now() };
};
