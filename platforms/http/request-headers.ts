import { FaasLabError } from "../../lib/errors";

/**
 * The headers as sent: Host is left to the client (it writes the origin's), and a name or value with
 * a line break is refused before anything goes out (it would split the request).
 */
export function requestHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "host") continue;
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) {
      throw new FaasLabError(`the request header "${name.replace(/[\r\n]/g, " ")}" contains a line break`, {
        code: "INVALID_HEADER",
        phase: "invoke",
        platform: "http",
      });
    }
    out[name] = value;
  }
  return out;
}
