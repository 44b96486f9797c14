import * as path from "node:path";
import { definePlatform } from "../../lib/define-platform";
import { AwsPlatform } from "./platform";
import { awsSchema, type AwsConfig } from "./schema";

export { AwsPlatform, type AwsPlatformOptions } from "./platform";
export type { ClientOptions } from "./clients";
export type { AwsRef } from "./config";
export { awsSchema, type AwsConfig } from "./schema";
export { parseReport, parseReportText, type LambdaReport } from "./report";
export { zipArtifact } from "./zip";

/**
 * AWS Lambda. Credentials come from the SDK's standard chain; for a fake or LocalStack-style endpoint
 * set `endpoint` in the aws config (or AWS_ENDPOINT_URL_LAMBDA), or build the platform yourself with
 * `new AwsPlatform({ credentials })`.
 */
export const platformModule = definePlatform({
  name: "aws",
  schema: awsSchema,
  capabilities: ["deploy", "reconfigure", "forceColdStart", "list", "remove"],
  shimEntry: path.join(__dirname, "shim", "handler.js"),
  // "nodejs22.x" runs Node 22: bundle for it, not for the Node that runs the notebook.
  buildTarget: (config) => `node${/^nodejs(\d+)/.exec(String((config as AwsConfig).runtime))?.[1] ?? "22"}`,
  // The Lambda function is named after the faaslab function (both allow letters, digits, - and _).
  resourceName: (functionName) => functionName,
  // Lambda's quota for a synchronous (RequestResponse) invocation's request: 6 MB.
  maxPayloadBytes: () => 6 * 1024 * 1024,
  create: (context) => new AwsPlatform({ clock: context.clock }),
});
