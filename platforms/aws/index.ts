import * as path from "node:path";
import type { PlatformModule } from "../../lib/platform";
import { AwsPlatform } from "./platform";

export { AwsPlatform, type AwsPlatformOptions } from "./platform";
export type { ClientOptions } from "./clients";
export type { AwsConfig, AwsRef } from "./config";
export { parseReport, parseReportText, type LambdaReport } from "./report";
export { zipArtifact } from "./zip";

/**
 * AWS Lambda. Credentials come from the SDK's standard chain; for a fake or LocalStack-style endpoint
 * set `endpoint` in the aws config (or AWS_ENDPOINT_URL_LAMBDA), or build the platform yourself with
 * `new AwsPlatform({ credentials })`.
 */
export const platformModule: PlatformModule = {
  name: "aws",
  shimEntry: path.join(__dirname, "shim", "handler.js"),
  // runtime and architecture change the package; region and endpoint change where it lives.
  buildKeys: ["runtime", "architecture", "region", "endpoint"],
  create: () => new AwsPlatform(),
};
