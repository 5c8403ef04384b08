import { PROVIDER_PROFILES } from 'ai.matey.backend';
import type { GatewayConfig } from './config-schema.ts';

/**
 * Every secret the config and environment hold, for the gateway's secret registry: provider
 * keys (configured or from any provider's key variables), credential-like provider headers and
 * the store URL's password. Gateway keys in plain text are registered by the gateway itself.
 */
export function configuredSecrets(config: GatewayConfig, env: NodeJS.ProcessEnv): string[] {
  const secrets: string[] = [];
  for (const profile of Object.values(PROVIDER_PROFILES))
    for (const name of profile.apiKeyEnv) if (env[name]) secrets.push(env[name]);
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK'])
    if (env[name]) secrets.push(env[name]);
  for (const provider of Object.values(config.providers)) {
    if (provider.apiKey) secrets.push(provider.apiKey);
    if (provider.credentials) secrets.push(provider.credentials.secretAccessKey);
    if (provider.credentials?.sessionToken) secrets.push(provider.credentials.sessionToken);
    for (const [name, value] of Object.entries(provider.headers ?? {}))
      if (/auth|key|token|secret/i.test(name)) secrets.push(value.replace(/^bearer\s+/i, ''));
  }
  for (const stateUrl of [config.store, config.database]) {
    const url = stateUrl ? new URL(stateUrl) : undefined;
    if (url?.password) secrets.push(url.password, decodeURIComponent(url.password));
  }
  return secrets;
}

export function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  return names.map((name) => env[name]).find((value) => value !== undefined && value !== '');
}
