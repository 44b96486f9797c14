import type { CloudFunction } from "../function/cloud-function";
import { handleOf } from "../function/cloud-function";
import { trackServer } from "./open-servers";
import { resolveServeOptions, type ServeOptions } from "./options";
import { ServedFunction, type FunctionServer } from "./server";

export type { ServeOptions } from "./options";
export type { FunctionServer } from "./server";

/**
 * Any function — a cloudFunction, a loaded one, an httpFunction — as an HTTP endpoint, with its
 * platform's semantics: `POST /` with a JSON body or `GET /?k=v`, answered with the result as JSON
 * (429 throttled, 504 timed out, 500 function error). The function is deployed first if it needs to
 * be. Binds 127.0.0.1 by default; any other address requires a bearer token.
 */
export async function serve(
  fn: CloudFunction<never, unknown>,
  options: ServeOptions = {},
): Promise<FunctionServer> {
  handleOf(fn); // a ConfigError for anything that is not a faaslab function
  const resolved = resolveServeOptions(options);
  await fn.deploy();
  const served = new ServedFunction(fn as CloudFunction, resolved);
  await served.listen();
  trackServer(served);
  if (resolved.generated) {
    resolved.log(
      `serve: ${fn.functionName} at ${served.url} requires "Authorization: Bearer ${resolved.token}" ` +
        "(a token generated for this server; pass { token } to choose one)",
    );
  }
  return served;
}
