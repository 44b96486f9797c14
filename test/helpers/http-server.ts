import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  /** http://127.0.0.1:<port>/ */
  url: string;
  port: number;
  /** Requests seen so far (method, url, headers, body). */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** Stops listening and drops every connection (kept-alive ones too). */
  close(): Promise<void>;
}

export type TestHandler = (
  req: http.IncomingMessage & { body: string },
  res: http.ServerResponse,
) => void | Promise<void>;

/** A real node:http server on 127.0.0.1 (an ephemeral port) whose handler sees the whole body. */
export async function startServer(
  handler: TestHandler,
  options: { keepAliveTimeoutMs?: number } = {},
): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      Promise.resolve(handler(Object.assign(req, { body }), res)).catch((e: unknown) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers `value` as JSON with extra headers. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
