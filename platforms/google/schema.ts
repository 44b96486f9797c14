import { defineSchema, field, type ConfigOf } from "../../lib/config/schema";

const USE_INSTEAD = 'use "nodejs22" (the default) or "nodejs24"';

/**
 * Variables Cloud Run sets itself (and refuses in a function's environment), plus faaslab's own:
 * the shim reads the faaslab name, memory, region and timeout from them, the nonce forces cold starts.
 */
export const GOOGLE_RESERVED_ENVIRONMENT: readonly string[] = [
  "PORT",
  "K_SERVICE",
  "K_REVISION",
  "K_CONFIGURATION",
  "FUNCTION_TARGET",
  "FUNCTION_SIGNATURE_TYPE",
  "FAASLAB_FUNCTION_NAME",
  "FAASLAB_MEMORY_MB",
  "FAASLAB_REGION",
  "FAASLAB_TIMEOUT_S",
  "FAASLAB_NONCE",
];

/** The vCPU counts Cloud Run accepts: a fraction below 1, or one of these whole numbers. */
export const WHOLE_CPUS: readonly number[] = [1, 2, 4, 6, 8];

/** Cloud Run's floor of vCPU for a memory size (more memory needs more CPU). */
export function minimumCpuForMemory(memoryMb: number): number {
  if (memoryMb > 24576) return 8;
  if (memoryMb > 16384) return 6;
  if (memoryMb > 8192) return 4;
  if (memoryMb > 4096) return 2;
  return 0;
}

/** Google's default vCPU for a memory size (its documented tiers; between tiers the next one up). */
export function defaultCpuForMemory(memoryMb: number): number {
  const tiers: [number, number][] = [
    [128, 0.083],
    [256, 0.167],
    [512, 0.333],
    [1024, 0.583],
    [2048, 1],
    [4096, 2],
    [8192, 2],
    [16384, 4],
    [32768, 8],
  ];
  return tiers.find(([mb]) => mb >= memoryMb)?.[1] ?? 8;
}

/** The vCPU a function runs with: the configured one, else Google's default for its memory. */
export function effectiveCpu(config: { cpu?: number | null; memory?: number }): number {
  return config.cpu ?? defaultCpuForMemory(config.memory ?? 256);
}

export const googleSchema = defineSchema({
  platform: "google",
  fields: {
    // Where the function lives: a change deploys it anew (there), so these are build keys.
    /** null: GOOGLE_CLOUD_PROJECT, else the project of the Application Default Credentials. */
    project: field.string({
      nullable: true,
      build: true,
      pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
      patternHint: 'be a Google Cloud project id like "my-project-123" (6–30 lowercase letters, digits, "-")',
    }),
    region: field.string({
      build: true,
      pattern: /^[a-z]+-[a-z]+\d+$/,
      patternHint: 'be a Google Cloud region like "us-central1"',
    }),
    /** null: Google's API; else an emulator such as "http://127.0.0.1:8089". */
    endpoint: field.string({
      nullable: true,
      build: true,
      pattern: /^https?:\/\/[^\s/]+(\/\S*)?$/,
      patternHint: 'be an http(s) URL like "http://127.0.0.1:8089"',
    }),
    memory: field.integer({ min: 128, max: 32768, unit: "MB" }),
    /** null: Google's default for the memory (0.167 vCPU at 256 MB, 1 at 2048 MB, …). */
    cpu: field.number({ nullable: true, min: 0.083, max: 8 }),
    timeout: field.integer({ min: 1, max: 3600, unit: "s" }),
    /** Requests one instance serves at once (maxInstanceRequestConcurrency). */
    concurrency: field.integer({ min: 1, max: 1000 }),
    maxInstances: field.integer({ min: 1, max: 1000 }),
    minInstances: field.integer({ min: 0, max: 1000 }),
    runtime: field.oneOf(["nodejs22", "nodejs24"], {
      build: true,
      rejected: {
        nodejs20: `was decommissioned on Cloud Run functions on 2026-10-30: ${USE_INSTEAD}`,
        nodejs18: `is decommissioned on Cloud Run functions: ${USE_INSTEAD}`,
        "nodejs22.x": `is AWS Lambda's spelling: ${USE_INSTEAD}`,
      },
    }),
    environment: field.stringMap(),
    /** The identity the function runs as; null: the project's default compute service account. */
    serviceAccount: field.string({
      nullable: true,
      pattern: /^[^\s@]+@[a-z0-9-]+\.iam\.gserviceaccount\.com$/,
      patternHint: 'be a service account email like "fn@my-project.iam.gserviceaccount.com"',
    }),
    /** Who may reach the URL at the network level (ingressSettings). */
    ingress: field.oneOf(["all", "internal", "internal-and-gclb"], {
      rejected: {
        ALLOW_ALL: 'is spelled "all" here',
        ALLOW_INTERNAL_ONLY: 'is spelled "internal" here',
        ALLOW_INTERNAL_AND_GCLB: 'is spelled "internal-and-gclb" here',
      },
    }),
    /** true: grant allUsers the invoker role (anyone may call the URL); false: an ID token is needed. */
    public: field.boolean(),
  },
  rules: [
    ({ concurrency, cpu, memory }) => {
      if (concurrency === undefined || concurrency <= 1 || memory === undefined) return null;
      const vcpu = cpu === undefined ? null : effectiveCpu({ cpu, memory });
      if (vcpu === null || vcpu >= 1) return null;
      const why = cpu === null ? ` (Google's default for ${memory} MB)` : "";
      return `"concurrency" ${concurrency} needs at least 1 vCPU, and the function would get ${vcpu}${why}: set "cpu": 1 (or "memory": 2048), or "concurrency": 1`;
    },
    ({ cpu }) =>
      cpu == null || cpu < 1 || WHOLE_CPUS.includes(cpu)
        ? null
        : `"cpu" ${cpu} is not a vCPU count Google accepts: a fraction below 1, or ${WHOLE_CPUS.join(", ")}`,
    ({ cpu, memory }) => {
      if (cpu == null || memory === undefined) return null;
      const floor = minimumCpuForMemory(memory);
      return cpu >= floor ? null : `"memory" ${memory} MB needs "cpu" ${floor} or more; got ${cpu}`;
    },
    ({ minInstances, maxInstances }) =>
      minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances
        ? `"minInstances" (${minInstances}) must not exceed "maxInstances" (${maxInstances})`
        : null,
    ({ environment }) => {
      if (!environment) return null;
      const keys = Object.keys(environment);
      const reserved = keys.filter(
        (k) => GOOGLE_RESERVED_ENVIRONMENT.includes(k) || k.startsWith("X_GOOGLE_"),
      );
      if (reserved.length)
        return `"environment" must not set ${reserved.map((k) => `"${k}"`).join(", ")}: Cloud Run (or faaslab) sets it`;
      const bad = keys.find((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
      return bad === undefined
        ? null
        : `"environment" key "${bad}" must start with a letter or "_" and use only letters, digits and "_"`;
    },
  ],
});

/** The validated google config (defaults in ./defaults.json). */
export type GoogleConfig = ConfigOf<typeof googleSchema>;
