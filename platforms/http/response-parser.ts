import type { IncomingHttpHeaders } from "node:http";

/** One parsed HTTP/1.1 response. */
export interface ParsedResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The server keeps the connection open for the next request. */
  keepAlive: boolean;
}

const HEAD_END = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");

/**
 * An incremental HTTP/1.1 response parser for one connection: feed() it bytes as they arrive; it
 * returns a response once one is complete (content-length, chunked, or — with end() — read until
 * the connection closes). 1xx interim answers are skipped. A malformed answer throws.
 */
export class ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  private head: Omit<ParsedResponse, "body"> | null = null;
  private bodyLength: number | "chunked" | "until-close" = 0;
  private chunks: Buffer[] = [];

  /** Whether any byte of an answer has arrived (a connection closed before that never answered). */
  get started(): boolean {
    return this.head !== null || this.buffer.length > 0;
  }

  feed(data: Buffer): ParsedResponse | null {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    for (;;) {
      if (this.head === null && !this.readHead()) return null;
      const done = this.readBody();
      if (done === null) return null;
      if (done.status >= 100 && done.status < 200) continue; // 100 Continue, 103 Early Hints
      return done;
    }
  }

  /** The connection closed: a response read until close is complete now; anything else was cut off. */
  end(): ParsedResponse | null {
    if (this.head === null || this.bodyLength !== "until-close") return null;
    return this.finish(this.buffer.length ? [...this.chunks, this.buffer] : this.chunks);
  }

  private readHead(): boolean {
    const end = this.buffer.indexOf(HEAD_END);
    if (end < 0) {
      if (this.buffer.length > 64 * 1024) throw new Error("response headers larger than 64 KiB");
      return false;
    }
    const lines = this.buffer.toString("latin1", 0, end).split("\r\n");
    this.buffer = this.buffer.subarray(end + 4);
    const status = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!status) throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 80))}`);
    const headers: IncomingHttpHeaders = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(":");
      if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(lines[i].slice(0, 80))}`);
      const name = lines[i].slice(0, colon).trim().toLowerCase();
      const value = lines[i].slice(colon + 1).trim();
      const previous = headers[name];
      headers[name] = previous === undefined ? value : `${String(previous)}, ${value}`;
    }
    const code = Number(status[2]);
    const connection = String(headers.connection ?? "").toLowerCase();
    const keepAlive = status[1] === "1" ? connection !== "close" : connection === "keep-alive";
    this.head = { status: code, statusText: status[3] ?? "", headers, keepAlive };
    const length = headers["content-length"];
    const noBody = (code >= 100 && code < 200) || code === 204 || code === 304;
    if (noBody) this.bodyLength = 0;
    else if (/chunked/i.test(String(headers["transfer-encoding"] ?? ""))) this.bodyLength = "chunked";
    else if (length !== undefined) {
      if (!/^\d+$/.test(length)) throw new Error(`bad content-length ${JSON.stringify(length)}`);
      this.bodyLength = Number(length);
    } else {
      this.bodyLength = "until-close";
      this.head.keepAlive = false;
    }
    return true;
  }

  private readBody(): ParsedResponse | null {
    if (typeof this.bodyLength === "number") {
      if (this.buffer.length < this.bodyLength) return null;
      const body = this.buffer.subarray(0, this.bodyLength);
      this.buffer = this.buffer.subarray(this.bodyLength);
      return this.finish([body]);
    }
    if (this.bodyLength === "until-close") {
      this.chunks.push(this.buffer);
      this.buffer = Buffer.alloc(0);
      return null;
    }
    return this.readChunks();
  }

  /** Transfer-Encoding: chunked — size line, data, CRLF; a zero size, optional trailers, CRLF. */
  private readChunks(): ParsedResponse | null {
    for (;;) {
      const lineEnd = this.buffer.indexOf(CRLF);
      if (lineEnd < 0) return null;
      const size = parseInt(this.buffer.toString("latin1", 0, lineEnd).split(";")[0].trim(), 16);
      if (Number.isNaN(size)) throw new Error("malformed chunk size");
      if (size === 0) {
        const trailersEnd = this.buffer.indexOf(HEAD_END, lineEnd);
        const end = this.buffer.subarray(lineEnd, lineEnd + 4).equals(HEAD_END) ? lineEnd : trailersEnd;
        if (end < 0) return null;
        this.buffer = this.buffer.subarray(end + 4);
        return this.finish(this.chunks);
      }
      if (this.buffer.length < lineEnd + 2 + size + 2) return null;
      this.chunks.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.buffer = this.buffer.subarray(lineEnd + 2 + size + 2);
    }
  }

  private finish(chunks: Buffer[]): ParsedResponse {
    const head = this.head!;
    this.head = null;
    this.chunks = [];
    this.bodyLength = 0;
    return { ...head, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) };
  }
}
