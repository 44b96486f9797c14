import type { IncomingHttpHeaders } from "node:http";

/** What one attempt came to: an answer (any status), or an error named by its kind. */
export type AttemptOutcome =
  | { kind: "answer"; status: number; statusText: string; headers: IncomingHttpHeaders; body: Buffer }
  | {
      kind: "error";
      /** ECONNREFUSED, ECONNRESET, TimeoutError, Aborted, InvalidResponse, … */
      errorType: string;
      errorMessage: string;
      timedOut: boolean;
      /** The request went out on a kept-alive connection the server had already closed: safe to resend. */
      staleSocket: boolean;
    };
