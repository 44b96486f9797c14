import { after, before } from "node:test";
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  type InvokeCommandOutput,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { useFakeAwsEnv } from "./aws-env";
import { startFakeLambda, type FakeLambda } from "./server";
import { zipOf } from "./zip";

// The raw SDK client against a fake of its own, for the tests of the fake itself.

export const ROLE = "arn:aws:iam::123456789012:role/faaslab-test";
export const HANDLER = `
exports.handler = async (event, context) => {
  switch (event.mode) {
    case "throw": throw new RangeError("bad " + event.why);
    case "exit": process.exit(3);
    case "spin": for (;;) {}
    case "reject": Promise.reject(new Error("nobody waits")); return new Promise(() => {});
    case "sleep": await new Promise((r) => setTimeout(r, event.ms)); break;
    case "log": console.log("hello from", event.who); console.error("to stderr"); break;
    case "big": return "x".repeat(7 * 1024 * 1024);
    case "hog": { const keep = []; for (let i = 0; i < 64; i++) { keep.push(Buffer.alloc(8 << 20, 1)); await new Promise((r) => setTimeout(r, 5)); } return keep.length; }
  }
  return {
    version: 1, event, pid: process.pid, cwd: process.cwd(),
    env: { name: process.env.AWS_LAMBDA_FUNCTION_NAME, memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
           region: process.env.AWS_REGION, greeting: process.env.GREETING, secret: process.env.AWS_SECRET_ACCESS_KEY },
    ctx: { requestId: context.awsRequestId, functionName: context.functionName, memory: context.memoryLimitInMB,
           remaining: context.getRemainingTimeInMillis(), arn: context.invokedFunctionArn },
  };
};`;
export const fastWait = { maxWaitTime: 20, minDelay: 0.05, maxDelay: 0.2 };

export interface RawFake {
  readonly fake: FakeLambda;
  readonly client: LambdaClient;
  /** CreateFunction (256 MB, 3 s, the test handler unless `code`), then wait until Active. */
  create(name: string, extra?: Record<string, unknown>, code?: string): Promise<void>;
  /** Invoke with the log tail; the parsed payload, the log and its REPORT line. */
  call(name: string, event: unknown): Promise<Called>;
}

export interface Called {
  out: InvokeCommandOutput;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  log: string;
  report: string;
}

/** Registers before/after hooks: fake credentials, a fake Lambda, a client with one attempt per call. */
export function rawFake(): RawFake {
  let fake: FakeLambda | undefined;
  let client: LambdaClient | undefined;
  let restoreEnv: (() => void) | undefined;
  before(async () => {
    restoreEnv = useFakeAwsEnv();
    fake = await startFakeLambda();
    client = new LambdaClient({ endpoint: fake.endpoint, maxAttempts: 1 });
  });
  after(async () => {
    client?.destroy();
    await fake?.close();
    restoreEnv?.();
  });
  const self: RawFake = {
    get fake() {
      return fake!;
    },
    get client() {
      return client!;
    },
    create: (name, extra = {}, code = HANDLER) => create(self.client, name, extra, code),
    call: (name, event) => call(self.client, name, event),
  };
  return self;
}

async function create(
  client: LambdaClient,
  name: string,
  extra: Record<string, unknown> = {},
  code = HANDLER,
): Promise<void> {
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      Runtime: "nodejs22.x",
      Handler: "index.handler",
      Code: { ZipFile: zipOf({ "index.js": code }) },
      MemorySize: 256,
      Timeout: 3,
      ...extra,
    }),
  );
  await waitUntilFunctionActiveV2({ client, ...fastWait }, { FunctionName: name });
}

async function call(client: LambdaClient, name: string, event: unknown): Promise<Called> {
  const out = await client.send(
    new InvokeCommand({ FunctionName: name, LogType: "Tail", Payload: JSON.stringify(event) }),
  );
  const text = out.Payload ? Buffer.from(out.Payload).toString("utf8") : "";
  const log = Buffer.from(out.LogResult ?? "", "base64").toString("utf8");
  const report = log.split("\n").find((l) => l.startsWith("REPORT ")) ?? "";
  return { out, body: JSON.parse(text) as Called["body"], log, report };
}
