import { zipSync } from "fflate";
import { ENTRY_POINT } from "./config";

/** The Functions Framework version the uploaded package.json asks Google's build to install. */
export const FUNCTIONS_FRAMEWORK_VERSION = "^5.0.0";

/** A fixed timestamp: the same artifact always gives the same zip. */
const FIXED_MTIME = new Date("2000-01-01T00:00:00Z");

/** The package.json Google's Node.js build reads: `main` is the bundle, the framework a dependency. */
export function packageJson(functionId: string, runtime: string): string {
  const engine = /^nodejs(\d+)$/.exec(runtime)?.[1] ?? "22";
  const pkg = {
    name: functionId,
    version: "1.0.0",
    private: true,
    description: `faaslab function (entry point "${ENTRY_POINT}")`,
    main: "index.js",
    engines: { node: `>=${engine}` },
    // Without it listed, the framework is not resolvable from the function (seen on Google's runtime).
    dependencies: { "@google-cloud/functions-framework": FUNCTIONS_FRAMEWORK_VERSION },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * The source archive: `package.json` and the bundle as `index.js` at the root. The bundle exports
 * `faaslab(req, res)`, which the Functions Framework serves (FUNCTION_TARGET=faaslab).
 */
export function zipSource(bundle: Uint8Array, functionId: string, runtime: string): Uint8Array {
  const file = { level: 6, mtime: FIXED_MTIME, os: 3, attrs: 0o644 << 16 } as const;
  return zipSync({
    "package.json": [new TextEncoder().encode(packageJson(functionId, runtime)), file],
    "index.js": [bundle, file],
  });
}
