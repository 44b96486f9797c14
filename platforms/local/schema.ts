import { defineSchema, field, type ConfigOf } from "../../lib/config/schema";

/** The local platform's knobs; defaults in ./defaults.json, documented in ./README.md. */
export const localSchema = defineSchema({
  platform: "local",
  fields: {
    /** MB: V8 heap limit and RSS watchdog. */
    memory: field.integer({ min: 64, max: 32768, unit: "MB" }),
    /** Seconds before a request is failed and its instance killed. */
    timeout: field.number({ min: 0.001, max: 3600, unit: "s" }),
    /** Requests one instance serves at once (1 like Lambda; >1 like Cloud Run). */
    concurrency: field.integer({ min: 1, max: 1000 }),
    maxInstances: field.integer({ min: 1, max: 256 }),
    /** Instances kept alive even when idle (pre-started on deploy). */
    minInstances: field.integer({ min: 0, max: 256 }),
    /** Seconds an idle instance lives before it is stopped (scale to zero). */
    idleTimeout: field.number({ min: 0, max: 86400, unit: "s" }),
    /** Seconds a request waits for capacity at maxInstances before it is throttled. */
    queueTimeout: field.number({ min: 0, max: 3600, unit: "s" }),
    environment: field.stringMap(),
    /**
     * vCPUs of each instance: "memory" (memory / 1769, as on Lambda), a number, or null (no limit);
     * capped by this machine's cores (cpu-share.ts).
     */
    cpu: field.numberOr(["memory"], { min: 0.01, max: 256, unit: "vCPU", nullable: true }),
  },
  rules: [
    ({ minInstances: min, maxInstances: max }) =>
      typeof min === "number" && typeof max === "number" && min > max
        ? `"minInstances" (${min}) must not exceed "maxInstances" (${max})`
        : null,
  ],
});

export type LocalConfig = ConfigOf<typeof localSchema>;
