import type { ConfigSchema } from "../schema";

export const localSchema: ConfigSchema = {
  platform: "local",
  fields: {
    memory: { type: "integer", min: 64, max: 32768, unit: "MB" },
    timeout: { type: "number", min: 0.001, max: 3600, unit: "s" },
    concurrency: { type: "integer", min: 1, max: 1000 },
    maxInstances: { type: "integer", min: 1, max: 256 },
    minInstances: { type: "integer", min: 0, max: 256 },
    idleTimeout: { type: "number", min: 0, max: 86400, unit: "s" },
    queueTimeout: { type: "number", min: 0, max: 3600, unit: "s" },
    environment: { type: "stringMap" },
  },
  rules: [
    ({ minInstances: min, maxInstances: max }) =>
      typeof min === "number" && typeof max === "number" && min > max
        ? `"minInstances" (${min}) must not exceed "maxInstances" (${max})`
        : null,
  ],
};
