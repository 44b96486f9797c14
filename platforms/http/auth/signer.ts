/** What a signer sees of a request, and returns: the headers to send (the body is already final). */
export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer | null;
}

/** Adds credentials to one request's headers (called per attempt: signatures are time-bound). */
export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;
