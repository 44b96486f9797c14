// Test-side helpers: the real v2 client pointed at a fake, hand-made function sources, and a deploy
// through the same calls faaslab makes (generateUploadUrl → PUT → create/update → operation).
import { v2, type protos } from "@google-cloud/functions";
import { GoogleAuth, PassThroughClient } from "google-auth-library";
import { zipOf } from "../fake-lambda/zip";
import type { FakeGoogle } from "./server";

/** Where functions go: the fake's project and region. */
type Where = Pick<FakeGoogle, "project" | "region">;

export type IFunction = protos.google.cloud.functions.v2.IFunction;

/** The real client in REST fallback mode against the fake, sending no credentials. */
export function realClient(fake: Pick<FakeGoogle, "clientOptions">): v2.FunctionServiceClient {
  return new v2.FunctionServiceClient({
    ...fake.clientOptions(),
    auth: new GoogleAuth({ authClient: new PassThroughClient() }),
  });
}

export const PACKAGE_JSON = JSON.stringify({
  name: "probe",
  main: "index.js",
  dependencies: { "@google-cloud/functions-framework": "^5.0.0" },
});

/**
 * An HTTP function (`probe`) registered with the Framework's `http()`: it reports its process, the
 * environment Cloud Run set and how many requests it served; with `gate` in the body it waits at the
 * test's Gate (reporting its pid) before answering; `exit` ends the process mid-request
 * (the Framework answers 500 on its way out), `kill` SIGKILLs it (no answer at all);
 * `version` tells revisions apart.
 */
export const PROBE_JS = `
const ff = require("@google-cloud/functions-framework");
const http = require("node:http");
let served = 0;
ff.http("probe", (req, res) => {
  served++;
  const reply = () => res.json({
    version: 1,
    pid: process.pid,
    served,
    env: {
      K_SERVICE: process.env.K_SERVICE, K_REVISION: process.env.K_REVISION,
      FUNCTION_TARGET: process.env.FUNCTION_TARGET, NODE_ENV: process.env.NODE_ENV,
      GREETING: process.env.GREETING ?? null,
    },
    body: req.body,
  });
  if (req.body && req.body.exit) process.exit(3);
  if (req.body && req.body.kill) process.kill(process.pid, "SIGKILL");
  const gate = req.body && req.body.gate;
  if (!gate) return reply();
  http.get(gate + "?key=" + encodeURIComponent(req.body.key || "") + "&pid=" + process.pid, { agent: false }, (r) => {
    r.resume();
    r.on("end", reply);
  }).on("error", (e) => res.status(500).send(String(e)));
});
`;

/** A plain `exports.<name>` function (the other way the Framework finds a target). */
export const EXPORTS_JS = `exports.hello = (req, res) => res.send("hello " + (req.body && req.body.name));`;

export function probeZip(version = 1): Uint8Array {
  return zipOf({
    "package.json": PACKAGE_JSON,
    "index.js": PROBE_JS.replace("version: 1", `version: ${version}`),
  });
}

export { zipOf };

/** generateUploadUrl then the PUT, as faaslab uploads; returns the StorageSource to deploy. */
export async function upload(
  client: v2.FunctionServiceClient,
  fake: Where,
  zip: Uint8Array,
): Promise<protos.google.cloud.functions.v2.IStorageSource> {
  const [up] = await client.generateUploadUrl({
    parent: client.locationPath(fake.project, fake.region),
    environment: "GEN_2",
  });
  const put = await fetch(up.uploadUrl!, {
    method: "PUT",
    headers: { "content-type": "application/zip" },
    body: zip,
  });
  if (!put.ok) throw new Error(`upload ${put.status}: ${await put.text()}`);
  return up.storageSource!;
}

/** A v2 Function for `zip` with the given service config (entry point `probe`, nodejs22). */
export function functionFor(
  storageSource: protos.google.cloud.functions.v2.IStorageSource,
  service: protos.google.cloud.functions.v2.IServiceConfig = {},
  entryPoint = "probe",
): IFunction {
  return {
    buildConfig: { runtime: "nodejs22", entryPoint, source: { storageSource } },
    serviceConfig: { availableMemory: "256M", timeoutSeconds: 30, ...service },
    environment: "GEN_2",
  };
}

/** Uploads and creates `functionId`, waits for the operation; returns the deployed Function. */
export async function createFromZip(
  client: v2.FunctionServiceClient,
  fake: Where,
  functionId: string,
  zip: Uint8Array,
  service: protos.google.cloud.functions.v2.IServiceConfig = {},
  entryPoint = "probe",
): Promise<IFunction> {
  const storageSource = await upload(client, fake, zip);
  const [op] = await client.createFunction({
    parent: client.locationPath(fake.project, fake.region),
    functionId,
    function: functionFor(storageSource, service, entryPoint),
  });
  const [fn] = await op.promise();
  return fn;
}

/** What PROBE_JS answers. */
export interface ProbeReply {
  version: number;
  pid: number;
  served: number;
  env: Record<string, string | null>;
  body: unknown;
}

/** POSTs JSON to a function's uri with a bearer token (any token: the fake does not verify signatures). */
export async function invoke(
  uri: string,
  body: unknown,
  token: string | null = "test-token",
): Promise<{ status: number; json: ProbeReply | null; text: string; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(uri, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  let json: ProbeReply | null = null;
  try {
    json = JSON.parse(text) as ProbeReply;
  } catch {
    // not JSON: a Cloud Run error page or plain text
  }
  return { status: res.status, json, text, headers: res.headers };
}
