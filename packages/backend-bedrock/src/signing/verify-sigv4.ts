import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A request as a server received it: the raw path and query, headers, and the body bytes' text. */
export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as received (still URL-encoded). */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
}

export interface SigV4VerifyOptions {
  /** The key pairs the server knows, by access key id. */
  credentials: ReadonlyArray<{ accessKeyId: string; secretAccessKey: string }>;
  region: string;
  service: string;
  /** How far `x-amz-date` may be from now (AWS allows 5 minutes). */
  maxSkewMs?: number;
  now?: () => number;
}

/** Why a signature was refused, named and worded as AWS names and words it. */
export interface SigV4Refusal {
  exception:
    | 'MissingAuthenticationTokenException'
    | 'IncompleteSignatureException'
    | 'UnrecognizedClientException'
    | 'InvalidSignatureException';
  message: string;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** RFC 3986 encoding, as SigV4 encodes each path segment and query part. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function header(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

/** `20150830T123600Z` as a time, or NaN. */
function parseAmzDate(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/**
 * The SigV4 canonical request of a received request, written from the specification
 * (docs.aws.amazon.com, "Create a canonical request"), independently of the signer: each path
 * segment as received is URI-encoded once more (every service but S3), the query sorted, the
 * signed headers trimmed with inner runs of spaces folded, the payload hashed from the body.
 */
export function canonicalRequest(request: ReceivedRequest, signedHeaders: readonly string[]): string {
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : request.url.slice(queryAt + 1);
  const canonicalPath = path.split('/').map(uriEncode).join('/') || '/';
  const canonicalQuery = [...new URLSearchParams(query)]
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const headers = signedHeaders
    .map((name) => `${name}:${(header(request.headers, name) ?? '').trim().replace(/ +/g, ' ')}\n`)
    .join('');
  return [
    request.method,
    canonicalPath,
    canonicalQuery,
    headers,
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
}

/**
 * Checks a request's AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 …`) against the
 * known credentials: scope, clock skew, that `host` and `x-amz-date` are signed, and the
 * signature recomputed from the canonical request. Undefined when valid, else AWS's refusal.
 *
 * @example
 * const refusal = verifySigV4(request, { credentials: [{ accessKeyId, secretAccessKey }], region: 'us-east-1', service: 'bedrock' });
 */
export function verifySigV4(request: ReceivedRequest, options: SigV4VerifyOptions): SigV4Refusal | undefined {
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined)
    return { exception: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const match = AUTHORIZATION.exec(authorization);
  const amzDate = header(request.headers, 'x-amz-date') ?? '';
  if (!match)
    return {
      exception: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.`,
    };
  const [, accessKeyId = '', date = '', region, service, signedList = '', signature = ''] = match;
  const signedHeaders = signedList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date'))
    return { exception: 'IncompleteSignatureException', message: `'Host' and 'X-Amz-Date' must be signed.` };
  const key = options.credentials.find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!key)
    return {
      exception: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  if (region !== options.region || service !== options.service)
    return {
      exception: 'InvalidSignatureException',
      message: `Credential should be scoped to a valid region and service ('${options.region}', '${options.service}').`,
    };
  const signedAt = parseAmzDate(amzDate);
  const now = (options.now ?? Date.now)();
  if (!amzDate.startsWith(date) || !(Math.abs(now - signedAt) <= (options.maxSkewMs ?? 5 * 60_000)))
    return {
      exception: 'InvalidSignatureException',
      message: `Signature expired or not yet current: ${amzDate} is not within 5 minutes of the server's time.`,
    };
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    sha256Hex(canonicalRequest(request, signedHeaders)),
  ].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${key.secretAccessKey}`, date), region ?? ''), service ?? ''),
    'aws4_request',
  );
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { exception: 'InvalidSignatureException', message: SIGNATURE_MISMATCH };
  return undefined;
}
