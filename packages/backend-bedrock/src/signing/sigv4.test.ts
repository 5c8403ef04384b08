import { describe, expect, it } from 'vitest';
import { createSigV4Signer } from './sigv4-signer.ts';
import { verifySigV4 } from './verify-sigv4.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

describe('verifySigV4 (written from the specification)', () => {
  it("accepts AWS's own test vector (aws-sig-v4-test-suite, get-vanilla)", () => {
    const request = {
      method: 'GET',
      url: '/',
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      },
      body: '',
    };
    const options = {
      credentials: [credentials],
      region: 'us-east-1',
      service: 'service',
      now: () => Date.UTC(2015, 7, 30, 12, 36),
    };
    expect(verifySigV4(request, options)).toBeUndefined();
    const wrongSecret = { ...options, credentials: [{ ...credentials, secretAccessKey: 'not-the-secret' }] };
    expect(verifySigV4(request, wrongSecret)?.exception).toBe('InvalidSignatureException');
  });
});

describe('createSigV4Signer (the AWS SDK signer) against the verifier', () => {
  const url = new URL(
    'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse',
  );
  const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Héllo' }] }] });
  const sign = (secretAccessKey: string, sessionToken?: string) =>
    createSigV4Signer({
      region: 'us-east-1',
      service: 'bedrock',
      credentials: async () => ({
        ...credentials,
        secretAccessKey,
        ...(sessionToken ? { sessionToken } : {}),
      }),
    })({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });
  const received = (headers: Record<string, string>, sent = body) => ({
    method: 'POST',
    url: `${url.pathname}${url.search}`,
    headers,
    body: sent,
  });
  const verify = { credentials: [credentials], region: 'us-east-1', service: 'bedrock' };

  it('signs host, date, body hash and content type; the verifier recomputes the same signature', async () => {
    const headers = await sign(credentials.secretAccessKey, 'session-token');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-security-token']).toBe('session-token');
    expect(verifySigV4(received(headers), verify)).toBeUndefined();
  });

  it('a wrong secret, a changed body or another region is refused', async () => {
    expect(verifySigV4(received(await sign('wrong-secret')), verify)).toMatchObject({
      exception: 'InvalidSignatureException',
      message: expect.stringMatching(/^The request signature we calculated does not match/),
    });
    const headers = await sign(credentials.secretAccessKey);
    expect(verifySigV4(received(headers, body.replace('Héllo', 'Hello')), verify)?.exception).toBe(
      'InvalidSignatureException',
    );
    expect(verifySigV4(received(headers), { ...verify, region: 'eu-west-1' })?.exception).toBe(
      'InvalidSignatureException',
    );
    expect(verifySigV4(received(headers), { ...verify, credentials: [] })?.exception).toBe(
      'UnrecognizedClientException',
    );
  });

  it('credentials that cannot be found fail as an AuthenticationError, not a crash', async () => {
    const signer = createSigV4Signer({
      region: 'us-east-1',
      service: 'bedrock',
      credentials: async () => {
        throw new Error('Could not load credentials from any providers');
      },
    });
    await expect(signer({ method: 'POST', url, headers: {}, body })).rejects.toMatchObject({
      kind: 'authentication',
      code: 'missing_credentials',
    });
  });
});
