/** Messages between the fake's server process and an execution environment (runtime.ts), over IPC. */

export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export interface InvokeMessage {
  type: "invoke";
  requestId: string;
  /** The request body as sent (JSON text). */
  event: string;
  /** Epoch ms at which the platform stops the request. */
  deadline: number;
  invokedFunctionArn: string;
}

export type ChildMessage =
  | { type: "ready" }
  | { type: "initError"; error: ErrorPayload }
  | { type: "log"; text: string }
  | {
      type: "done";
      requestId: string;
      /** The handler's result as JSON text, when it returned. */
      payload?: string;
      error?: ErrorPayload;
      /** Peak resident set of the environment so far (getrusage ru_maxrss, KB). */
      maxRssKb: number;
      /** The runtime is about to exit (uncaught error): the environment must not be reused. */
      fatal?: boolean;
    };
