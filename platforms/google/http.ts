import * as http from "node:http";
import * as https from "node:https";

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One keep-alive agent per function URL: an experiment measures the function, not handshakes. */
export class AgentPool {
  private readonly agents = new Map<string, http.Agent>();

  for(url: URL): http.Agent {
    const key = url.origin;
    let agent = this.agents.get(key);
    if (!agent) {
      // No socket cap: concurrency is bounded by the experiment's threads.
      const options = { keepAlive: true, maxSockets: Infinity };
      agent = url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(key, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** A POST with a bounded wait; rejects on a network error or abort (the caller makes that data). */
export function post(
  url: URL,
  agent: http.Agent,
  headers: Record<string, string>,
  body: string,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  const send = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: "POST", agent, signal, headers: { ...headers, "content-length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
