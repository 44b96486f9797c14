import { LocalInstance, type InstanceEvents, type PendingRequest } from "./instance";
import { InstanceLog } from "./instance-log";
import type { LocalConfig } from "./schema";

/** What the router and the policies need of an instance (LocalInstance, or a fake in benches). */
export interface PoolInstance {
  readonly ready: boolean;
  readonly alive: boolean;
  /** Takes no new request; exits once its requests are done. */
  readonly retiring: boolean;
  /** Requests given to it: running, or waiting for it to finish starting. */
  readonly assigned: number;
  /** Requests running inside it. */
  readonly running: number;
  assign(request: PendingRequest): void;
  retire(): void;
}

/** The events an instance reports to its pool. */
export interface PoolEvents {
  onReady(instance: PoolInstance): void;
  onIdle(instance: PoolInstance): void;
  onExit(instance: PoolInstance): void;
}

/** Starts and stops a pool's instances. */
export interface InstanceFactory {
  start(events: PoolEvents): PoolInstance;
  /** Stops it now (its requests fail). */
  kill(instance: PoolInstance): void;
  /** The instance exited: the factory keeps what it needs of it (its output). */
  exited(instance: PoolInstance): void;
  /** No instance will start again and all have exited: resolves once their traces are complete. */
  close(): Promise<void>;
}

const WATCHDOG_INTERVAL_MS = 200;

/**
 * Instances as child processes running the artifact, with one instances.log per pool and an RSS
 * watchdog (V8's heap limit does not cover buffers and native memory).
 */
export class ProcessInstanceFactory implements InstanceFactory {
  private readonly log: InstanceLog;
  private readonly running = new Set<LocalInstance>();
  /** The output of instances that exited, until read to its end. */
  private readonly unreadOutput = new Set<Promise<void>>();
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly artifactPath: string,
    private readonly functionName: string,
    private readonly config: LocalConfig,
    logPath: string | null,
  ) {
    this.log = new InstanceLog(logPath);
    this.watchdog = setInterval(() => this.enforceMemory(), WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
  }

  start(events: PoolEvents): PoolInstance {
    const instance = new LocalInstance(
      this.artifactPath,
      this.functionName,
      this.config,
      events as InstanceEvents,
      this.log,
    );
    this.running.add(instance);
    return instance;
  }

  kill(instance: PoolInstance): void {
    (instance as LocalInstance).kill("retired");
  }

  exited(instance: PoolInstance): void {
    const local = instance as LocalInstance;
    this.running.delete(local);
    const output = local.outputEnded;
    this.unreadOutput.add(output);
    void output.then(() => this.unreadOutput.delete(output));
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    await Promise.all(this.unreadOutput);
    await this.log.end();
  }

  private enforceMemory(): void {
    for (const instance of this.running) {
      if (!instance.alive) continue;
      const rss = instance.rssMb();
      if (rss !== null && rss > this.config.memory) instance.kill("oom", rss);
    }
  }
}
