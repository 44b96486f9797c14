/** The local platform's knobs, as validated by lib/config (schema in lib/config/schemas/local.ts). */
export interface LocalConfig {
  /** MB: V8 heap limit and RSS watchdog. */
  memory: number;
  /** Seconds before a request is failed and its instance killed. */
  timeout: number;
  /** Requests one instance serves at once (1 like Lambda; >1 like Cloud Run). */
  concurrency: number;
  maxInstances: number;
  /** Instances kept alive even when idle (pre-started on deploy). */
  minInstances: number;
  /** Seconds an idle instance lives before it is stopped (scale to zero). */
  idleTimeout: number;
  /** Seconds a request waits for capacity at maxInstances before it is throttled. */
  queueTimeout: number;
  environment: Record<string, string>;
}
