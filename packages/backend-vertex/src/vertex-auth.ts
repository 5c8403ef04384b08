import { AiMateyError, AuthenticationError } from 'ai.matey.core';
import { GoogleAuth, JWT } from 'google-auth-library';
import type { ServiceAccountKey } from './vertex-location.ts';

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Something that hands out access tokens (a `GoogleAuth`, or your own). */
export interface AccessTokenSource {
  getAccessToken(): Promise<string | null | undefined>;
}

/** Where Vertex credentials come from. With none of these: Application Default Credentials. */
export interface VertexCredentialOptions {
  /** A service-account key file. */
  keyFile?: string;
  /** A service-account key, parsed. */
  credentials?: ServiceAccountKey;
  /** Your own token source (a configured `GoogleAuth`, say); it wins over the others. */
  auth?: AccessTokenSource;
}

/**
 * `Authorization: Bearer …` headers for each Vertex call, from google-auth-library: a
 * service-account key (the JWT-bearer grant, at the key's `token_uri`) or Application Default
 * Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's login, the metadata server). Tokens are
 * cached and refreshed before they expire by the library. No token is an `AuthenticationError`.
 *
 * @example
 * const authHeaders = vertexAuthHeaders({ keyFile: './sa.json' }, readServiceAccountKey('./sa.json'));
 */
export function vertexAuthHeaders(
  options: Pick<VertexCredentialOptions, 'auth'>,
  key: ServiceAccountKey | undefined,
): () => Promise<Record<string, string>> {
  const source = options.auth ?? googleAuth(key);
  return async () => {
    let token: string | null | undefined;
    try {
      token = await source.getAccessToken();
    } catch (error) {
      if (AiMateyError.isInstance(error)) throw error;
      throw new AuthenticationError({
        message: `Vertex AI: could not get an access token (${error instanceof Error ? error.message : String(error)})`,
        provider: 'vertex',
        code: 'credentials_unavailable',
        cause: error,
      });
    }
    if (!token) {
      throw new AuthenticationError({
        message: 'Vertex AI: the credentials gave no access token',
        provider: 'vertex',
        code: 'credentials_unavailable',
      });
    }
    return { authorization: `Bearer ${token}` };
  };
}

/** A service-account key signs its own grants (JWT client); without one, Application Default Credentials. */
function googleAuth(key: ServiceAccountKey | undefined): AccessTokenSource {
  if (!key) return new GoogleAuth({ scopes: [CLOUD_PLATFORM] });
  const tokenUri = key.token_uri;
  const client = new JWT({
    ...(key.client_email !== undefined ? { email: key.client_email } : {}),
    ...(key.private_key !== undefined ? { key: key.private_key } : {}),
    ...(key.private_key_id !== undefined ? { keyId: key.private_key_id } : {}),
    scopes: [CLOUD_PLATFORM],
    // The library posts to Google's token URL whatever the key says; honour the key's `token_uri`.
    ...(tokenUri && tokenUri !== GOOGLE_TOKEN_URL
      ? { transporterOptions: { fetchImplementation: redirectTokenCalls(tokenUri) } }
      : {}),
  });
  return { getAccessToken: async () => (await client.getAccessToken()).token };
}

function redirectTokenCalls(tokenUri: string): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return fetch(url === GOOGLE_TOKEN_URL ? tokenUri : input, init);
  };
}
