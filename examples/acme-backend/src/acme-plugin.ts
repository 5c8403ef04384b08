import type { BackendPlugin, BackendPluginOptions } from 'ai.matey.backend';
import type { Backend } from 'ai.matey.core';
import { AcmeBackendAdapter } from './acme-backend-adapter.ts';
import { ACME_MODELS } from './acme-profile.ts';

/**
 * What `matey serve` calls for a provider whose config says `type: "@acme/matey-backend"` (or a
 * path to this module): the provider's entry (name, apiKey, baseURL, defaultModel, headers,
 * timeoutMs) in, a `Backend` out.
 */
export function createBackend(options: BackendPluginOptions): Backend {
  return new AcmeBackendAdapter(options);
}

/** Model ids served, for model-based routing (the config's `models:` adds more). */
export const models = ACME_MODELS;

/** The same two as one object, for loaders that take the default export; typed to the contract. */
export default { createBackend, models } satisfies BackendPlugin;
