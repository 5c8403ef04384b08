import type { IncomingHttpHeaders } from 'node:http';
import { type AiMateyError, AuthenticationError } from 'ai.matey.core';
import { registerWireProtocol } from 'ai.matey.wire';
import { bedrockConverse } from './converse/index.ts';
import { verifySigV4 } from './signing/verify-sigv4.ts';

export interface BedrockMockUpstreamOptions {
  /** The credentials the mock knows: calls signed with any other secret get Bedrock's 403. */
  credentials: ReadonlyArray<{ accessKeyId: string; secretAccessKey: string }>;
  /** The region calls must be signed for (default `us-east-1`). */
  region?: string;
}

/** What `bedrockMockUpstream` gives `startMockUpstream` (a structural match of its options). */
export interface BedrockMockUpstreamPlugin {
  provider: string;
  authenticate(call: {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
  }): AiMateyError | undefined;
}

/**
 * Makes `startMockUpstream` (ai.matey.testing) speak Bedrock: registers the `bedrock-converse`
 * codec (its paths, JSON bodies and binary event stream, with every fault the mock injects) and
 * returns options that check each call's SigV4 signature against the given credentials, as
 * AWS does: a wrong secret gets `403 {"message":"The request signature we calculated does not
 * match…"}` with `x-amzn-errortype: InvalidSignatureException`. The testing package keeps no
 * AWS dependency: the codec and the check live here.
 *
 * @example
 * const upstream = await startMockUpstream({ ...bedrockMockUpstream({ credentials: [{ accessKeyId, secretAccessKey }] }), reply: { fixture: 'bedrock-converse/amazon-bedrock-text' } });
 * const bedrock = new BedrockBackend({ region: 'us-east-1', baseURL: upstream.url, credentials: { accessKeyId, secretAccessKey } });
 */
export function bedrockMockUpstream(options: BedrockMockUpstreamOptions): BedrockMockUpstreamPlugin {
  registerWireProtocol(bedrockConverse);
  const region = options.region ?? 'us-east-1';
  return {
    provider: 'bedrock',
    authenticate(call) {
      const refusal = verifySigV4(call, { credentials: options.credentials, region, service: 'bedrock' });
      if (!refusal) return undefined;
      return new AuthenticationError({
        message: refusal.message,
        provider: 'bedrock',
        code: refusal.exception,
        status: 403,
      });
    },
  };
}
