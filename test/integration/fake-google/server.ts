/**
 * A fake Cloud Functions v2 API on 127.0.0.1 for end-to-end tests with the real
 * `v2.FunctionServiceClient` (REST fallback): signed-URL uploads, create / get / list / update /
 * delete with operations that really poll, IAM for public functions, and a data plane that serves
 * each function at its `uri` by running the uploaded source under the real Functions Framework.
 * Use: `const fake = await startFakeGoogle(); new v2.FunctionServiceClient({ ...fake.clientOptions(), auth })`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { answer } from "./api";
import {
  GoogleApiError,
  notFound,
  permissionDenied,
  quotaExceeded,
  sendError,
  serviceDisabled,
} from "./errors";
import { FunctionStore, serviceUri } from "./functions";
import { isPublic } from "./iam";
import { PERMISSION, route } from "./router";
import type { InvocationEntry } from "./service";
import type { CallEntry, FakeGoogle, FakeGoogleOptions, Fault, Method } from "./types";
import { UploadStore } from "./uploads";

export type {
  CallEntry,
  FakeGoogle,
  FakeGoogleOptions,
  Fault,
  FunctionView,
  InvocationEntry,
  Method,
} from "./types";

const BUILD_TIME_APIS = new Set([
  "cloudbuild.googleapis.com",
  "artifactregistry.googleapis.com",
  "run.googleapis.com",
]);

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const project = options.project ?? "fake-project";
  const projectNumber = options.projectNumber ?? "123456789012";
  const region = options.region ?? "us-central1";
  const root = mkdtempSync(path.join(os.tmpdir(), "fake-google-"));
  let endpoint = "";
  const uploads = new UploadStore(
    () => endpoint,
    `gcf-v2-uploads-${projectNumber}.${region}.cloudfunctions.appspot.com`,
  );
  const invocations: InvocationEntry[] = [];
  const calls: CallEntry[] = [];
  const faults = new Map<Method, Fault[]>();
  const disabled = new Set<string>();
  const buildFaults: string[] = [];
  let hangs = 0;
  let builds = 0;
  let blockAllUsers = false;
  const store = new FunctionStore({
    project,
    projectNumber,
    region,
    pendingPolls: options.pendingPolls ?? 1,
    pendingMs: options.pendingMs ?? 1000,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    invocations,
    takeHang: () => (hangs > 0 ? (hangs--, true) : false),
    deployContext: {
      root,
      region,
      projectNumber,
      uploads,
      takeBuildFault: () => buildFaults.shift() ?? null,
      countBuild: () => void builds++,
    },
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readAll(req);
    const call: CallEntry = {
      method: "unknown",
      httpMethod: req.method ?? "GET",
      path: url.pathname + url.search,
      status: 0,
      authorization: req.headers.authorization ?? null,
      at: Date.now(),
    };
    calls.push(call);
    if (req.method === "PUT" && url.pathname.startsWith("/_upload/")) {
      call.method = "upload";
      uploads.put(url.pathname, req.headers, body, res);
      call.status = res.statusCode;
      return;
    }
    try {
      const r = route(req.method ?? "GET", url.pathname);
      if (!r) throw notFound(url.pathname);
      call.method = r.method;
      if (disabled.has("cloudfunctions.googleapis.com"))
        throw serviceDisabled("cloudfunctions.googleapis.com", projectNumber);
      if (r.project !== project && r.project !== projectNumber)
        throw permissionDenied(PERMISSION[r.method], r.resource);
      if (r.method.includes("Service") && disabled.has("run.googleapis.com")) {
        throw serviceDisabled("run.googleapis.com", projectNumber);
      }
      const deploying = r.method === "createFunction" || r.method === "updateFunction";
      const offline = [...disabled].find((s) => BUILD_TIME_APIS.has(s));
      if (deploying && offline) throw serviceDisabled(offline, projectNumber);
      const fault = faults.get(r.method)?.shift();
      if (fault === "permissionDenied") throw permissionDenied(PERMISSION[r.method], r.resource);
      if (fault === "quotaExceeded") throw quotaExceeded(projectNumber);
      if (fault === "unavailable")
        throw new GoogleApiError(503, "UNAVAILABLE", "The service is currently unavailable.");
      let json: unknown = {};
      if (body.length > 0) {
        try {
          json = JSON.parse(body.toString("utf8"));
        } catch {
          throw new GoogleApiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
        }
      }
      const reply = JSON.stringify(
        await answer(
          { store, uploads, orgPolicyBlocksAllUsers: () => blockAllUsers },
          r,
          url.searchParams,
          json,
        ),
      );
      call.status = 200;
      res
        .writeHead(200, {
          "Content-Type": "application/json; charset=UTF-8",
          "Content-Length": Buffer.byteLength(reply),
        })
        .end(reply);
    } catch (error) {
      const e = error instanceof GoogleApiError ? error : new GoogleApiError(500, "INTERNAL", String(error));
      call.status = e.httpStatus;
      sendError(res, e);
    }
  }

  const server = createServer((req, res) => {
    // Read-only views for a bench or test in another process (main.ts); not Google's API.
    const views: Record<string, () => unknown> = {
      "/_fake/invocations": () => invocations,
      "/_fake/calls": () => calls,
      "/_fake/functions": () => fake.functions(),
    };
    const view = views[req.url ?? ""]?.();
    if (view) {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(view));
      return;
    }
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  endpoint = `http://127.0.0.1:${port}`;

  const fake: FakeGoogle = {
    endpoint,
    port,
    project,
    projectNumber,
    region,
    clientOptions: () => ({ fallback: true, apiEndpoint: "127.0.0.1", port, protocol: "http" }),
    calls,
    uploads: uploads.log,
    invocations,
    get builds() {
      return builds;
    },
    functions: () =>
      [...store.byName.values()].map((f) => ({
        name: f.resource.name,
        functionId: f.resource.name.split("/").pop()!,
        state: f.resource.state,
        uri: serviceUri(f),
        revision: String(f.resource.serviceConfig.revision ?? ""),
        public: isPublic(f.policies),
        instances: f.service.pool.alive().map((i) => ({
          id: i.id,
          pid: i.pid,
          revision: i.revision.name,
          port: i.port,
          inflight: i.inflight,
          retired: i.retired,
        })),
      })),
    pids: () =>
      [...store.byName.values()].flatMap((f) =>
        f.service.pool.alive().flatMap((i) => (i.pid ? [i.pid] : [])),
      ),
    failNext(method, fault, times = 1) {
      faults.set(method, [...(faults.get(method) ?? []), ...Array<Fault>(times).fill(fault)]);
    },
    disableApi: (service) => void disabled.add(service),
    enableApi: (service) => void disabled.delete(service),
    failNextBuild: (reason) => void buildFaults.push(reason),
    hangNextOperation: () => void hangs++,
    orgPolicyBlocksAllUsers: (on) => void (blockAllUsers = on),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([...store.byName.values()].map((f) => f.service.close()));
      await store.settle();
      // A deploy that was mid-rollout may have started instances after the close above.
      await Promise.all([...store.byName.values()].map((f) => f.service.close()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return fake;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
