import * as http from "node:http";

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
  /** Client-side time from sending to the last byte, ms. */
  ms: number;
}

export interface HttpRequestOptions {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Default: a fresh connection per request (nothing kept alive after the test). */
  agent?: http.Agent | false;
}

/** One HTTP request with node:http (no retries, no redirects), resolved with the whole answer. */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, agent: options.agent ?? false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const ms = performance.now() - started;
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json, ms });
        });
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** POST `payload` as JSON. */
export function postJson(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return httpRequest(url, {
    method: "POST",
    body: JSON.stringify(payload),
    headers: { "content-type": "application/json", ...headers },
  });
}
