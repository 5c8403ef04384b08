import type { Backend } from 'ai.matey.core';
import type { ProviderConfig } from './config-schema.ts';

/**
 * Built-in provider types served by an optional package of their own, so that only those who
 * use them install its heavy dependencies (the AWS SDK for Bedrock): the type and the package.
 */
export const PACKAGE_PRESETS: Readonly<Record<string, string>> = { bedrock: 'ai.matey.backend.bedrock' };

/** Whether a provider type is one of `PACKAGE_PRESETS`. */
export function isPackagePreset(type: string): boolean {
  return Object.hasOwn(PACKAGE_PRESETS, type);
}

/**
 * The backend of a package preset (`type: bedrock`), its package imported here and only when
 * configured. A missing package is a `TypeError` naming it (a config error for `matey serve`).
 */
export async function packagePresetBackend(
  type: string,
  options: Record<string, unknown>,
  provider: ProviderConfig,
): Promise<Backend> {
  const bedrock = await import('ai.matey.backend.bedrock').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new TypeError(
      `type ${type} needs the optional package ${PACKAGE_PRESETS[type]} (npm install ${PACKAGE_PRESETS[type]})`,
    );
  });
  return bedrock.createBedrockBackend({
    ...options,
    ...(provider.region ? { region: provider.region } : {}),
    ...(provider.profile ? { profile: provider.profile } : {}),
    ...(provider.credentials ? { credentials: provider.credentials } : {}),
  });
}
