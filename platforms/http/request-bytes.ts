import { FaasLabError } from "../../lib/errors";

/**
 * An HTTP/1.1 request as the bytes written to the connection: request line, Host, the headers, and
 * the body. Header values with a line break are refused (they would split the request).
 */
export function requestBytes(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: Buffer | null,
): Buffer {
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "host") continue;
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) {
      throw new FaasLabError(`the request header "${name.replace(/[\r\n]/g, " ")}" contains a line break`, {
        code: "INVALID_HEADER",
        phase: "invoke",
        platform: "http",
      });
    }
    head += `${name}: ${value}\r\n`;
  }
  head += "\r\n";
  const bytes = Buffer.from(head, "latin1");
  return body && body.byteLength ? Buffer.concat([bytes, body]) : bytes;
}
