import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestSigner } from 'ai.matey.backend';
import { AuthenticationError } from 'ai.matey.core';
import type { AwsCredentialProvider } from './aws-credentials.ts';

export interface SigV4SignerOptions {
  region: string;
  /** The signing name: `bedrock` for the Bedrock runtime. */
  service: string;
  credentials: AwsCredentialProvider;
  /** The provider name on errors. */
  provider?: string;
}

/** SHA-256 on Node's own crypto, as the AWS SDK's Node clients hash. */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

/**
 * A `RequestSigner` that signs with AWS Signature Version 4 (`@smithy/signature-v4`, the AWS
 * SDK's own signer) over the exact body text sent: `host`, `x-amz-date`, `x-amz-content-sha256`
 * and, for temporary credentials, `x-amz-security-token` are added and signed with the request's
 * other headers. Credentials that cannot be found fail the call as an `AuthenticationError`.
 *
 * @example
 * const signRequest = createSigV4Signer({ region: 'us-east-1', service: 'bedrock', credentials: resolveCredentials(undefined, undefined) });
 */
export function createSigV4Signer(options: SigV4SignerOptions): RequestSigner {
  const provider = options.provider ?? 'bedrock';
  const credentials = async () => {
    try {
      return await options.credentials();
    } catch (cause) {
      throw new AuthenticationError({
        message: `No AWS credentials to sign the ${provider} request with (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)})`,
        provider,
        code: 'missing_credentials',
        cause,
      });
    }
  };
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    credentials,
    sha256: Sha256,
  });
  return async ({ method, url, headers, body }) => {
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      body,
    });
    return signed.headers;
  };
}
