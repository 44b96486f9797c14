/**
 * Credentials a function needs when it is invoked but that must never be written down (state.json,
 * meta.json, logs, error messages): request headers held in this process's memory only, per platform
 * and function name. A new process (a kernel restart, loadFunctions) has none until the function is
 * defined again with them.
 */
const held = new Map<string, Readonly<Record<string, string>>>();

function key(platform: string, functionName: string): string {
  return `${platform}\0${functionName}`;
}

/** Keeps `headers` for the function (replacing earlier ones); null forgets them. */
export function holdSecretHeaders(
  platform: string,
  functionName: string,
  headers: Record<string, string> | null,
): void {
  if (headers === null) held.delete(key(platform, functionName));
  else held.set(key(platform, functionName), Object.freeze({ ...headers }));
}

/** The headers held for the function, or undefined when this process has none. */
export function secretHeaders(
  platform: string,
  functionName: string,
): Readonly<Record<string, string>> | undefined {
  return held.get(key(platform, functionName));
}
