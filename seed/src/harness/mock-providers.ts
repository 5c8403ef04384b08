import { sharedTransport } from 'ai.matey.backend';
import { type MockUpstream, type MockUpstreamOptions, startMockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';

/** The four providers the guide's blocks use, with the environment variables their adapters read. */
export const PROVIDERS = {
  openai: { keyEnv: 'OPENAI_API_KEY', urlEnv: 'OPENAI_BASE_URL', path: '/v1' },
  anthropic: { keyEnv: 'ANTHROPIC_API_KEY', urlEnv: 'ANTHROPIC_BASE_URL', path: '' },
  groq: { keyEnv: 'GROQ_API_KEY', urlEnv: 'GROQ_BASE_URL', path: '/openai/v1' },
  deepseek: { keyEnv: 'DEEPSEEK_API_KEY', urlEnv: 'DEEPSEEK_BASE_URL', path: '/v1' },
} as const;

export type ProviderName = keyof typeof PROVIDERS;

/** The key each mock provider accepts (anything else gets the provider's own 401). */
export const keyOf = (provider: ProviderName) => `test-key-${provider}`;

export interface MockProviders {
  /** The running upstream of each provider (started before the file's tests, reset before each). */
  readonly upstream: Record<ProviderName, MockUpstream>;
  /** Chat calls each provider has seen since the last reset. */
  calls(provider: ProviderName): number;
}

/**
 * One mock upstream per provider (a real HTTP server on an ephemeral port speaking that
 * provider's wire format), and the environment set so that the guide's adapters, constructed
 * exactly as the guide writes them (`new OpenAIBackendAdapter({ apiKey: process.env.OPENAI_API_KEY })`),
 * send their calls there: `OPENAI_BASE_URL`, `OPENAI_API_KEY`, and the same for the others.
 */
export function useMockProviders(
  options: Partial<Record<ProviderName, MockUpstreamOptions>> = {},
): MockProviders {
  const upstream = {} as Record<ProviderName, MockUpstream>;
  beforeAll(async () => {
    for (const provider of Object.keys(PROVIDERS) as ProviderName[]) {
      const { keyEnv, urlEnv, path } = PROVIDERS[provider];
      upstream[provider] = await startMockUpstream({
        provider,
        apiKeys: [keyOf(provider)],
        ...options[provider],
      });
      vi.stubEnv(keyEnv, keyOf(provider));
      vi.stubEnv(urlEnv, `${upstream[provider].url}${path}`);
    }
  });
  beforeEach(() => {
    for (const server of Object.values(upstream)) server.reset();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await sharedTransport().close();
    await Promise.all(Object.values(upstream).map((server) => server.close()));
  });
  return {
    upstream,
    calls: (provider) => upstream[provider].requests.filter((request) => request.method === 'POST').length,
  };
}
