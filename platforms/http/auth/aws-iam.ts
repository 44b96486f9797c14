import type { RequestSigner } from "./signer";
import { NodeSha256 } from "./sha256";

/** A Lambda function URL's host: <url-id>.lambda-url.<region>.on.aws */
const FUNCTION_URL_HOST = /\.lambda-url\.([a-z]{2}(?:-[a-z]+)+-\d+)\.on\.aws$/;

/** The region to sign for: the configured one, else the one in a Lambda function URL's host. */
export function signingRegion(url: URL, configured: string | null): string | null {
  return configured ?? FUNCTION_URL_HOST.exec(url.hostname)?.[1] ?? null;
}

/**
 * SigV4 (service "lambda") for Lambda function URLs with AuthType AWS_IAM, with the SDK's signer and
 * credential chain (environment, profile, SSO, container/instance roles). Both packages are
 * required on first use only. Each attempt is signed anew: a signature holds its time.
 */
export function awsIamSigner(region: string): RequestSigner {
  type Signer = import("@smithy/signature-v4").SignatureV4;
  let signer: Signer | null = null;
  const make = (): Signer => {
    const { SignatureV4 } = require("@smithy/signature-v4") as typeof import("@smithy/signature-v4");
    const { defaultProvider } =
      require("@aws-sdk/credential-provider-node") as typeof import("@aws-sdk/credential-provider-node");
    return new SignatureV4({ service: "lambda", region, credentials: defaultProvider(), sha256: NodeSha256 });
  };
  return async (request) => {
    signer ??= make();
    const { HttpRequest } = require("@smithy/protocol-http") as typeof import("@smithy/protocol-http");
    // A repeated key (?a=1&a=2) is signed with every value, as it is sent.
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(request.url.searchParams.keys())) {
      const values = request.url.searchParams.getAll(key);
      query[key] = values.length === 1 ? values[0] : values;
    }
    const unsigned = new HttpRequest({
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      port: request.url.port ? Number(request.url.port) : undefined,
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      body: request.body ?? undefined,
    });
    const signed = await signer.sign(unsigned);
    return signed.headers;
  };
}
