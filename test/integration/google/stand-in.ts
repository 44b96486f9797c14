/**
 * A tiny scripted stand-in for the Cloud Functions v2 REST API on 127.0.0.1, for call-sequence tests
 * of the google adapter with the real FunctionServiceClient: it records every call by kind and
 * answers each from a script (default: a happy path), so a test can make any step fail the way
 * Google does (`{ error: { code, message, status, details } }`). The full fake lives in fake-google/.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type CallKind =
  | "generateUploadUrl"
  | "upload"
  | "getFunction"
  | "createFunction"
  | "updateFunction"
  | "deleteFunction"
  | "listFunctions"
  | "getOperation"
  | "getIamPolicy"
  | "setIamPolicy"
  | "invoke"
  | "unknown";

export interface Call {
  kind: CallKind;
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  bytes: Buffer;
  authorization: string | null;
  contentType: string | null;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export type Script = Partial<Record<CallKind, (call: Call, count: number) => Reply | undefined>>;

export interface StandIn {
  endpoint: string;
  calls: Call[];
  kinds(): CallKind[];
  /** Replaces (or adds) the answers of some call kinds; the rest keep the happy path. */
  script(overrides: Script): void;
  close(): Promise<void>;
}

export const PROJECT = "stand-in-project";
export const REGION = "us-central1";

/** Google's error body for a status name ("NOT_FOUND"), with optional details (ErrorInfo, …). */
export function googleError(http: number, status: string, message: string, details: unknown[] = []): Reply {
  return { status: http, body: { error: { code: http, message, status, details } } };
}

export function errorInfo(reason: string, metadata: Record<string, string>): unknown {
  return { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com", metadata };
}

function kindOf(method: string, path: string): CallKind {
  if (path.startsWith("/upload/")) return "upload";
  if (path.startsWith("/fn/")) return "invoke";
  if (path.endsWith(":generateUploadUrl")) return "generateUploadUrl";
  if (path.endsWith(":getIamPolicy")) return "getIamPolicy";
  if (path.endsWith(":setIamPolicy")) return "setIamPolicy";
  if (path.includes("/operations/")) return "getOperation";
  if (/\/functions$/.test(path)) return method === "POST" ? "createFunction" : "listFunctions";
  if (/\/functions\/[^/]+$/.test(path)) {
    return (
      ({ GET: "getFunction", PATCH: "updateFunction", DELETE: "deleteFunction" } as Record<string, CallKind>)[
        method
      ] ?? "unknown"
    );
  }
  return "unknown";
}

export async function startStandIn(): Promise<StandIn> {
  const calls: Call[] = [];
  let overrides: Script = {};
  let endpoint = "";
  const functionOf = (id: string) => ({
    name: `projects/${PROJECT}/locations/${REGION}/functions/${id}`,
    state: 1,
    serviceConfig: { uri: `${endpoint}/fn/${id}`, revision: `${id}-00001` },
  });
  let lastId = "f";
  const operation = (done: boolean) => ({
    name: `projects/${PROJECT}/locations/${REGION}/operations/op-1`,
    done,
    metadata: {
      "@type": "type.googleapis.com/google.cloud.functions.v2.OperationMetadata",
      stages: [
        { name: 2, state: done ? 3 : 2 },
        { name: 3, state: done ? 3 : 1 },
      ],
    },
    ...(done
      ? {
          response: {
            "@type": "type.googleapis.com/google.cloud.functions.v2.Function",
            ...functionOf(lastId),
          },
        }
      : {}),
  });
  const happy: Required<Script> = {
    generateUploadUrl: () => ({
      status: 200,
      body: { uploadUrl: `${endpoint}/upload/1`, storageSource: { bucket: "b", object: "o.zip" } },
    }),
    upload: () => ({ status: 200, body: {} }),
    getFunction: () => googleError(404, "NOT_FOUND", "Resource not found"),
    createFunction: (call) => {
      lastId = call.query.get("functionId") ?? "f";
      return { status: 200, body: operation(false) };
    },
    updateFunction: (call) => {
      lastId = call.path.split("/").pop() ?? "f";
      return { status: 200, body: operation(false) };
    },
    deleteFunction: () => ({ status: 200, body: { ...operation(false) } }),
    listFunctions: () => ({ status: 200, body: { functions: [] } }),
    getOperation: () => ({ status: 200, body: operation(true) }),
    getIamPolicy: () => ({ status: 200, body: { version: 1, etag: "e1", bindings: [] } }),
    setIamPolicy: () => ({ status: 200, body: {} }),
    invoke: () => ({
      status: 200,
      body: {
        ok: true,
        result: 1,
        metrics: { runtimeMs: 1, coldStart: false, initMs: null, requestId: "r", instanceId: "i" },
        attributes: {},
      },
    }),
    unknown: () => googleError(404, "NOT_FOUND", "no such method"),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const kind = kindOf(req.method ?? "GET", url.pathname);
      const call: Call = {
        kind,
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        body: Buffer.concat(chunks).toString("utf8"),
        bytes: Buffer.concat(chunks),
        authorization: req.headers.authorization ?? null,
        contentType: req.headers["content-type"] ?? null,
      };
      calls.push(call);
      const count = calls.filter((c) => c.kind === kind).length;
      const reply = overrides[kind]?.(call, count) ?? happy[kind](call, count) ?? { status: 500 };
      const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    calls,
    kinds: () => calls.map((c) => c.kind),
    script(next) {
      overrides = { ...overrides, ...next };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
