import { defineSchema, field, type ConfigOf } from "../../lib/config/schema";
import { scalingRules } from "./scaling/rules";

/** The local platform's knobs; defaults in ./defaults.json, documented in ./README.md. */
export const localSchema = defineSchema({
  platform: "local",
  fields: {
    /** MB: V8 heap limit and RSS watchdog. */
    memory: field.integer({ min: 64, max: 32768, unit: "MB" }),
    /** Seconds before a request is failed and its instance killed. */
    timeout: field.number({ min: 0.001, max: 3600, unit: "s" }),
    /** How instances are added and removed: per request (Lambda), Cloud Run's or Knative's autoscaler. */
    scaling: field.oneOf(["lambda", "cloudrun", "knative"] as const),
    /** Requests one instance serves at once; null: the policy's (lambda 1, cloudrun 80, knative unlimited). */
    concurrency: field.integer({ min: 1, max: 1000, nullable: true }),
    /** null: the policy's (lambda 16, cloudrun 100, knative 256, local's cap for Knative's "unlimited"). */
    maxInstances: field.integer({ min: 1, max: 256, nullable: true }),
    /** Instances kept alive even when idle (pre-started on deploy); Knative's minScale. */
    minInstances: field.integer({ min: 0, max: 256 }),
    /** Seconds an idle instance lives before it is stopped (lambda, cloudrun). */
    idleTimeout: field.number({ min: 0, max: 86400, unit: "s" }),
    /** Seconds a request waits for capacity at maxInstances before it is throttled (lambda). */
    queueTimeout: field.number({ min: 0, max: 3600, unit: "s" }),
    /** Bytes of request JSON map() keeps each chunk under (the cloud's limit, e.g. Lambda's 6 MB). */
    maxPayloadBytes: field.integer({ min: 1024, max: 1073741824, unit: "bytes" }),
    /** Seconds a pending request waits for an instance at maxInstances before 429 (cloudrun). */
    pendingTimeout: field.number({ min: 0, max: 3600, unit: "s" }),
    /** Seconds between autoscaler decisions (knative, cloudrun). */
    tickInterval: field.number({ min: 0.01, max: 60, unit: "s" }),
    /** Seconds of the averaging window (knative's stable window, cloudrun's 1-minute window). */
    stableWindow: field.number({ min: 0.02, max: 3600, unit: "s" }),
    /** Knative: the panic window as a percentage of the stable window. */
    panicWindowPercentage: field.number({ min: 1, max: 100, unit: "%" }),
    /** Knative: panic when the panic-window demand reaches this percentage of the ready instances. */
    panicThreshold: field.number({ min: 110, max: 1000, unit: "%" }),
    /** Knative: soft concurrency target per instance; null: containerConcurrency, or 100 if unlimited. */
    target: field.number({ min: 0.01, max: 1000, nullable: true }),
    /** Knative: share of the target aimed for (container-concurrency-target-percentage / 100). */
    targetUtilization: field.number({ min: 0.01, max: 1 }),
    /** Cloud Run: share of `concurrency` aimed for (concurrencyUtilization). */
    concurrencyUtilization: field.number({ min: 0.1, max: 0.95 }),
    /** Knative: at most this many times the ready instances after one decision. */
    maxScaleUpRate: field.number({ min: 1.01, max: 10000 }),
    /** Knative: at least ready / this many instances after one decision. */
    maxScaleDownRate: field.number({ min: 1.01, max: 10000 }),
    /** Knative: seconds the last instance stays once the revision went inactive. */
    scaleToZeroGracePeriod: field.number({ min: 0, max: 3600, unit: "s" }),
    /** Knative: instances started on deploy, kept until that many were ready once. */
    initialScale: field.integer({ min: 0, max: 256 }),
    environment: field.stringMap(),
    /**
     * vCPUs of each instance: "memory" (memory / 1769, as on Lambda), a number, or null (no limit);
     * capped by this machine's cores (cpu-share.ts).
     */
    cpu: field.numberOr(["memory"], { min: 0.01, max: 256, unit: "vCPU", nullable: true }),
  },
  rules: scalingRules,
});

export type LocalConfig = ConfigOf<typeof localSchema>;
