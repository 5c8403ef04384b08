import { resolve } from 'node:path';
import type { Backend } from 'ai.matey.core';
import type { ProviderConfig } from './config-schema.ts';

/** The adapter options every provider entry gives (name, key, base URL, …). */
type AdapterOptions = Record<string, unknown> & { name: string };

interface PackagePreset {
  /** The optional package that serves the type. */
  package: string;
  /** The backend, its package imported here and only when configured. */
  open(options: AdapterOptions, provider: ProviderConfig, dir: string): Promise<Backend>;
}

/**
 * Built-in provider types served by an optional package of their own, so that only those who
 * use them install its heavy dependencies (the AWS SDK for Bedrock, Google's auth library for
 * Vertex AI).
 */
export const PACKAGE_PRESETS: Readonly<Record<string, PackagePreset>> = {
  bedrock: {
    package: 'ai.matey.backend.bedrock',
    async open(options, provider) {
      const { createBedrockBackend } = await importPreset('bedrock', import('ai.matey.backend.bedrock'));
      return createBedrockBackend({
        ...options,
        ...(provider.region ? { region: provider.region } : {}),
        ...(provider.profile ? { profile: provider.profile } : {}),
        ...(provider.credentials ? { credentials: provider.credentials } : {}),
      });
    },
  },
  vertex: {
    package: 'ai.matey.backend.vertex',
    async open(options, provider, dir) {
      if (options.apiKey !== undefined)
        throw new TypeError('a vertex provider takes Google credentials (keyFile or ADC), not an apiKey');
      const { VertexBackendAdapter } = await importPreset('vertex', import('ai.matey.backend.vertex'));
      return new VertexBackendAdapter({
        ...options,
        ...(provider.project ? { project: provider.project } : {}),
        ...(provider.location ? { location: provider.location } : {}),
        ...(provider.keyFile ? { keyFile: resolve(dir, provider.keyFile) } : {}),
      });
    },
  },
};

/** Whether a provider type is served by an optional package (`bedrock`, `vertex`). */
export function isPackagePreset(type: string): boolean {
  return Object.hasOwn(PACKAGE_PRESETS, type);
}

/**
 * The backend of a package preset (`type: bedrock`). A missing package is a `TypeError` naming
 * it (a config error for `matey serve`); `isMissingPresetPackage` tells that error apart.
 */
export function packagePresetBackend(
  type: string,
  options: AdapterOptions,
  provider: ProviderConfig,
  dir: string,
): Promise<Backend> {
  const preset = PACKAGE_PRESETS[type];
  if (!preset) throw new TypeError(`'${type}' is not a package preset`);
  return preset.open(options, provider, dir);
}

/** Whether an error says a package preset's package is not installed (discovery then skips it). */
export function isMissingPresetPackage(error: unknown): boolean {
  return error instanceof MissingPresetPackageError;
}

class MissingPresetPackageError extends TypeError {}

async function importPreset<T>(type: string, loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    const name = PACKAGE_PRESETS[type]?.package ?? type;
    throw new MissingPresetPackageError(
      `type ${type} needs the optional package ${name} (npm install ${name})`,
    );
  }
}
