import type { ProviderConfig } from './config-schema.ts';

/** Variables that say AWS credentials are at hand (instance roles cannot be seen from here). */
const CREDENTIAL_SIGNS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

/**
 * Bedrock found in the environment, as the other providers are found by their API key: a region
 * (`AWS_REGION` or `AWS_DEFAULT_REGION`), a sign of credentials, and ai.matey.backend.bedrock
 * installed (without it Bedrock is skipped, as a provider without a key is). Values are read
 * from `env`, not left to the AWS chain, so the gateway's own environment decides.
 */
export async function discoverBedrock(env: NodeJS.ProcessEnv): Promise<ProviderConfig | undefined> {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region || !CREDENTIAL_SIGNS.some((name) => env[name])) return undefined;
  try {
    await import('ai.matey.backend.bedrock');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return {
    type: 'bedrock',
    region,
    ...(env.AWS_BEARER_TOKEN_BEDROCK ? { apiKey: env.AWS_BEARER_TOKEN_BEDROCK } : {}),
    ...(env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ? { baseURL: env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME } : {}),
    ...(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {}),
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  };
}
