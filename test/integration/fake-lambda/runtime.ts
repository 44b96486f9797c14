/**
 * The child-process side of one fake execution environment: what the Lambda Node.js runtime does
 * for a zip function. Loads `_HANDLER` from LAMBDA_TASK_ROOT, then serves one invoke at a time over
 * IPC with a Lambda-shaped context; console output becomes Lambda's tab-separated log lines.
 * Runs as its own process (forked by environment.ts); imports Node built-ins only.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { format } from "node:util";
import type { ChildMessage, ErrorPayload, InvokeMessage } from "./protocol";

type Handler = (event: unknown, context: unknown, callback?: (e: unknown, r?: unknown) => void) => unknown;

const env = process.env;
let currentRequest: string | undefined;

function send(message: ChildMessage): void {
  process.send?.(message);
}

function emit(text: string): void {
  send({ type: "log", text });
}

function patchConsole(): void {
  const levels: [keyof Console, string][] = [
    ["log", "INFO"],
    ["info", "INFO"],
    ["warn", "WARN"],
    ["error", "ERROR"],
    ["debug", "DEBUG"],
    ["trace", "TRACE"],
  ];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      emit(`${new Date().toISOString()}\t${currentRequest ?? "undefined"}\t${level}\t${format(...args)}\n`);
  }
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: string | Uint8Array) => {
      emit(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof stream.write;
  }
}

export function toErrorPayload(error: unknown, typeOverride?: string): ErrorPayload {
  if (error instanceof Error) {
    return {
      errorType: typeOverride ?? error.name ?? "Error",
      errorMessage: typeOverride ? `${error.name}: ${error.message}` : error.message,
      trace: (error.stack ?? "").split("\n"),
    };
  }
  return { errorType: typeOverride ?? typeof error, errorMessage: String(error), trace: [] };
}

async function loadHandler(): Promise<Handler> {
  const spec = env._HANDLER ?? "index.handler";
  const dot = spec.lastIndexOf(".");
  const [file, exported] = [spec.slice(0, dot), spec.slice(dot + 1)];
  const root = env.LAMBDA_TASK_ROOT ?? process.cwd();
  const found = [".js", ".cjs", ".mjs"].map((ext) => path.join(root, file + ext)).find((p) => existsSync(p));
  if (!found) {
    throw Object.assign(new Error(`Cannot find module '${file}'`), { name: "Runtime.ImportModuleError" });
  }
  // A real dynamic import for .mjs: TypeScript would turn `import()` into require() under CommonJS.
  const dynamicImport = new Function("p", "return import(p)") as (
    p: string,
  ) => Promise<Record<string, unknown>>;
  let loaded: Record<string, unknown>;
  try {
    loaded = found.endsWith(".mjs")
      ? await dynamicImport(found)
      : (require(found) as Record<string, unknown>);
  } catch (error) {
    throw Object.assign(new Error(`${(error as Error).name}: ${(error as Error).message}`), {
      name: "Runtime.UserCodeSyntaxError",
      stack: (error as Error).stack,
    });
  }
  const handler = loaded[exported];
  if (typeof handler !== "function") {
    throw Object.assign(new Error(`${spec} is undefined or not exported`), {
      name: "Runtime.HandlerNotFound",
    });
  }
  return handler as Handler;
}

function contextFor(message: InvokeMessage): Record<string, unknown> {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
}

function run(handler: Handler, event: unknown, context: Record<string, unknown>): Promise<unknown> {
  if (handler.length < 3) return Promise.resolve().then(() => handler(event, context));
  return new Promise((resolve, reject) => {
    const returned = handler(event, context, (error, result) => (error ? reject(error) : resolve(result)));
    if (returned && typeof (returned as Promise<unknown>).then === "function") {
      (returned as Promise<unknown>).then(resolve, reject);
    }
  });
}

async function serve(handler: Handler, message: InvokeMessage): Promise<void> {
  currentRequest = message.requestId;
  let done: ChildMessage;
  try {
    const event: unknown = JSON.parse(message.event);
    const result = await run(handler, event, contextFor(message));
    done = {
      type: "done",
      requestId: message.requestId,
      payload: JSON.stringify(result) ?? "null",
      maxRssKb: maxRss(),
    };
  } catch (error) {
    done = { type: "done", requestId: message.requestId, error: toErrorPayload(error), maxRssKb: maxRss() };
  }
  send(done);
  currentRequest = undefined;
}

function maxRss(): number {
  return process.resourceUsage().maxRSS;
}

function crash(error: unknown, type?: string): void {
  const payload = toErrorPayload(error, type);
  if (currentRequest)
    send({ type: "done", requestId: currentRequest, error: payload, maxRssKb: maxRss(), fatal: true });
  else send({ type: "initError", error: payload });
  // Let the IPC message flush, then die as the real runtime does: the environment is replaced.
  setTimeout(() => process.exit(129), 20);
}

async function main(): Promise<void> {
  patchConsole();
  process.on("unhandledRejection", (reason) => crash(reason, "Runtime.UnhandledPromiseRejection"));
  process.on("uncaughtException", (error) => crash(error));
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    crash(error);
    return;
  }
  process.on("message", (message: InvokeMessage) => void serve(handler, message));
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready" });
}

void main();
