import type { GoogleClients } from "./clients";
import { projectMissing } from "./errors";
import type { GoogleConfig } from "./schema";

/** The project to work in: config.project, else GOOGLE_CLOUD_PROJECT, else the ADC's project. */
export async function resolveProject(config: GoogleConfig, clients: GoogleClients): Promise<string> {
  if (config.project) return config.project;
  const fromEnv = process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT;
  if (fromEnv) return fromEnv;
  // An emulator without credentials has no ADC to ask.
  if (!clients.auth) throw projectMissing();
  let found: string | null = null;
  try {
    found = await clients.auth.getProjectId();
  } catch (e) {
    throw projectMissing(e);
  }
  if (!found) throw projectMissing();
  return found;
}
