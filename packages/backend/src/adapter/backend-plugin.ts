import type { Backend } from 'ai.matey.core';
import type { BackendAdapterOptions } from './provider-profile.ts';

/** What the gateway passes to a plug-in's `createBackend`: the provider's entry in its config. */
export interface BackendPluginOptions extends BackendAdapterOptions {
  /** The provider's name in the config (`providers.acme` gives `'acme'`). */
  name: string;
}

/**
 * The shape of a module that a gateway config names as a provider's `type`
 * (`type: ./acme-backend.js`, `type: "@acme/matey-backend"`): a `createBackend` function and,
 * optionally, the model ids the backend serves (used for model-based routing, next to the
 * config's own `models:` list). Named exports, or the same two as properties of the default export.
 *
 * @example
 * export const models = ['acme-large', 'acme-small'];
 * export function createBackend(options: BackendPluginOptions): Backend {
 *   return new AcmeBackendAdapter(options);
 * }
 */
export interface BackendPlugin {
  createBackend(options: BackendPluginOptions): Backend | Promise<Backend>;
  models?: readonly string[];
}
