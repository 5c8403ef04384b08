import {
  AnthropicBackendAdapter,
  DeepSeekBackendAdapter,
  GroqBackendAdapter,
  type HttpBackend,
  type HttpTransport,
  OpenAIBackendAdapter,
} from 'ai.matey.backend';
import type { SimulatedFleet } from 'ai.matey.testing';

/** The four providers of the seed's patterns, in the seed's failover order. */
export const FLEET_PROVIDERS = ['openai', 'anthropic', 'groq', 'deepseek'] as const;
export type FleetProvider = (typeof FLEET_PROVIDERS)[number];

export type FleetBackends = Record<FleetProvider, HttpBackend>;

/**
 * The seed's four adapters, pointed at a simulated fleet instead of the real APIs. Each uses the
 * fleet provider's first model as its default (so prices are looked up for the model that
 * answers) and the given transport (so the run can close its sockets when it ends).
 */
export function createFleetBackends(fleet: SimulatedFleet, transport: HttpTransport): FleetBackends {
  const options = (name: FleetProvider, baseURL: string) => {
    const provider = fleet.get(name);
    if (!provider) throw new Error(`The simulated fleet has no '${name}' upstream`);
    // The fleet answers any key; a fixed fake one keeps real keys from the environment out of it.
    return {
      apiKey: `sk-simulated-${name}`,
      baseURL,
      transport,
      ...(provider.models[0] ? { defaultModel: provider.models[0] } : {}),
    };
  };
  const url = (name: FleetProvider) => fleet.urls[name] ?? '';
  return {
    // OpenAI-style base URLs carry the version path; Anthropic's is the bare host, as in its SDK.
    openai: new OpenAIBackendAdapter(options('openai', `${url('openai')}/v1`)),
    anthropic: new AnthropicBackendAdapter(options('anthropic', url('anthropic'))),
    groq: new GroqBackendAdapter(options('groq', `${url('groq')}/v1`)),
    deepseek: new DeepSeekBackendAdapter(options('deepseek', `${url('deepseek')}/v1`)),
  };
}
