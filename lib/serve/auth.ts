import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * Whether the request carries `Authorization: Bearer <token>`. Both sides are hashed first so the
 * comparison takes the same time whatever the length or the first wrong character.
 */
export function hasBearer(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  const given = digest(match?.[1] ?? "");
  return timingSafeEqual(given, digest(token)) && match !== null;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
