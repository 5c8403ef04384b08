/** A request as it will be sent, for a signer to sign. */
export interface UnsignedRequest {
  method: string;
  /** The full URL: origin, path (as sent, already encoded) and query. */
  url: URL;
  /** The headers the backend would send (lower-case names). */
  headers: Readonly<Record<string, string>>;
  /** The exact body text sent (`undefined` for a GET). */
  body: string | undefined;
}

/**
 * Signs each request of an `HttpBackend` (AWS SigV4, say): given the request as it will be
 * sent, resolves with the headers to send instead. A backend with a signer calls it per request,
 * so signatures over time and body stay fresh; the signing scheme stays in the signer's package.
 *
 * @example
 * const signRequest: RequestSigner = async ({ headers, body }) => ({ ...headers, 'x-signature': hmac(body) });
 * new HttpBackend(profile, { signRequest });
 */
export type RequestSigner = (request: UnsignedRequest) => Promise<Record<string, string>>;
