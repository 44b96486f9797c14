import { FaasLabError } from "../../../lib/errors";
import { secretHeaders } from "../../../lib/secrets";
import { awsIamSigner, signingRegion } from "./aws-iam";
import { googleIdTokenSigner } from "./google-id-token";
import type { RequestSigner } from "./signer";

export type { RequestSigner, SignableRequest } from "./signer";

/**
 * The signer for a function's `auth`, or null when requests go out as they are. Bearer tokens and
 * fixed headers come from memory (lib/secrets.ts): a function loaded in a new process without them
 * is refused here rather than sent unauthorised.
 */
export function signerFor(
  auth: string,
  functionName: string,
  url: URL,
  region: string | null,
): RequestSigner | null {
  switch (auth) {
    case "none":
      return null;
    case "bearer":
    case "headers": {
      if (!secretHeaders("http", functionName)) throw missingSecret(functionName, auth);
      // Read on every request: httpFunction() called again with a new token replaces the held one.
      return async (request) => {
        const held = secretHeaders("http", functionName);
        if (!held) throw missingSecret(functionName, auth);
        return { ...request.headers, ...held };
      };
    }
    case "google-id-token":
      return googleIdTokenSigner(url.origin);
    case "aws-iam": {
      const signing = signingRegion(url, region);
      if (!signing)
        throw new FaasLabError(`cannot tell which AWS region ${url.host} is in, to sign for it`, {
          code: "INVALID_CONFIG",
          phase: "invoke",
          platform: "http",
          hint: 'give httpFunction(…, { auth: "aws-iam", region: "us-east-1" })',
        });
      return awsIamSigner(signing);
    }
    default:
      throw new FaasLabError(`unknown auth "${auth}"`, {
        code: "INVALID_CONFIG",
        phase: "invoke",
        platform: "http",
      });
  }
}

function missingSecret(functionName: string, auth: string): FaasLabError {
  const what = auth === "bearer" ? "bearer token" : "auth headers";
  return new FaasLabError(`${functionName} needs its ${what}, which are never written to disk`, {
    code: "AUTH_MISSING",
    phase: "invoke",
    platform: "http",
    hint: `define it again in this session: httpFunction("${functionName}", url, { auth: ${auth === "bearer" ? "{ bearer }" : "{ headers }"} })`,
  });
}
