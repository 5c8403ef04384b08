import type { BackendPlugin } from 'ai.matey.backend';
import type { Backend } from 'ai.matey.core';
import { builtInTypes } from './config-references.ts';
import { importPluginModule } from './import-plugin-module.ts';

/**
 * Imports the plug-in a provider's `type` names: a module path, relative to `dir` (the config
 * file's folder), or a package installed where `dir` can see it. Throws a `TypeError` that says
 * what was looked for and what is known when there is no such module or it has the wrong shape.
 */
export async function loadBackendPlugin(type: string, dir: string): Promise<BackendPlugin> {
  const module = await importPluginModule(
    type,
    dir,
    () =>
      `unknown type '${type}': not a built-in one (${builtInTypes().join(', ')}) and no package of that name is installed where ${dir} can see it (a module path starts with ./ or /)`,
  );
  const plugin = (typeof module.createBackend === 'function' ? module : module.default) as
    | Partial<BackendPlugin>
    | undefined;
  if (typeof plugin?.createBackend !== 'function') {
    throw new TypeError(
      `'${type}' does not export createBackend(options) (it exports: ${Object.keys(module).join(', ') || 'nothing'}); see docs/writing-a-backend.md`,
    );
  }
  if (
    plugin.models !== undefined &&
    !(Array.isArray(plugin.models) && plugin.models.every((m) => typeof m === 'string'))
  ) {
    throw new TypeError(`'${type}' exports models, but not as a list of model ids`);
  }
  return plugin as BackendPlugin;
}

/** Checks that a plug-in's `createBackend` returned something the Router can call. */
export function assertBackend(value: unknown, type: string): Backend {
  const backend = value as Partial<Backend> | undefined;
  const missing = [
    typeof backend?.metadata?.name === 'string' ? undefined : 'metadata.name',
    typeof backend?.execute === 'function' ? undefined : 'execute()',
    typeof backend?.stream === 'function' ? undefined : 'stream()',
  ].filter((name) => name !== undefined);
  if (missing.length > 0) {
    throw new TypeError(`createBackend of '${type}' returned no Backend (missing ${missing.join(', ')})`);
  }
  return backend as Backend;
}
