import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Google service-account key file's fields (the shape `gcloud iam service-accounts keys create` writes). */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

/** What the token endpoint saw of one JWT-bearer grant. */
export interface TokenGrant {
  /** The assertion's signature verified with the key's public half. */
  signatureValid: boolean;
  claims: Record<string, unknown>;
}

/** A tiny OAuth 2.0 token endpoint for the JWT-bearer grant, as Google's, on an ephemeral port. */
export interface OAuthTokenServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/token`. */
  tokenUri: string;
  /** Every grant received, in order. */
  grants: TokenGrant[];
  close(): Promise<void>;
}

/** A freshly generated service-account key (RSA, PKCS#8 PEM) whose tokens come from `tokenUri`. */
export function generateServiceAccountKey(
  tokenUri: string,
  project = 'matey-test-project',
): ServiceAccountKeyFile {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    type: 'service_account',
    project_id: project,
    private_key_id: 'test-key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: `matey@${project}.iam.gserviceaccount.com`,
    client_id: '1234567890',
    token_uri: tokenUri,
  };
}

/**
 * Starts a token endpoint that verifies each assertion (RS256) against the public half of the
 * key `key()` returns and answers valid ones with `accessToken`, others with Google's
 * `invalid_grant` (400): a service-account key whose `token_uri` points here proves the JWT-bearer
 * flow end to end.
 *
 * @example
 * await using tokens = await startOAuthTokenServer({ accessToken: 'ya29.test', key: () => key });
 * const key = generateServiceAccountKey(tokens.tokenUri);
 */
export async function startOAuthTokenServer(options: {
  /** The token to hand out, or a function of the grant's number (0, 1, …) for a new one each time. */
  accessToken: string | ((grant: number) => string);
  /** The `expires_in` of each token, in seconds (default 3599, as Google's). */
  expiresInSeconds?: number;
  key?: () => { client_email?: string; private_key?: string } | undefined;
}): Promise<OAuthTokenServer> {
  const grants: TokenGrant[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const assertion = form.get('assertion') ?? '';
      const [header = '', payload = '', signature = ''] = assertion.split('.');
      let claims: Record<string, unknown> = {};
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      } catch {}
      const key = options.key?.();
      const signatureValid =
        key?.private_key !== undefined &&
        createVerify('RSA-SHA256')
          .update(`${header}.${payload}`)
          .verify(createPublicKey(key.private_key), Buffer.from(signature, 'base64url'));
      grants.push({ signatureValid, claims });
      const ok =
        form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
        signatureValid &&
        claims.iss === key?.client_email;
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          ok
            ? {
                access_token:
                  typeof options.accessToken === 'string'
                    ? options.accessToken
                    : options.accessToken(grants.length - 1),
                expires_in: options.expiresInSeconds ?? 3599,
                token_type: 'Bearer',
              }
            : { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { tokenUri: `http://127.0.0.1:${port}/token`, grants, close, [Symbol.asyncDispose]: close };
}
