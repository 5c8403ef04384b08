import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A `type` or `use` that names a module file rather than a package: `./x.js`, `../x.js`, `/abs/x.js`. */
export function isModulePath(specifier: string): boolean {
  return /^\.{1,2}[\\/]/.test(specifier) || isAbsolute(specifier) || specifier.startsWith('file:');
}

/**
 * Imports a plug-in module: a module path, relative to `dir` (the config file's folder), or a
 * package installed where `dir` can see it. Throws a `TypeError` that says what was looked for;
 * `unknownPackage` words the error for a name that is neither built in nor installed.
 */
export async function importPluginModule(
  specifier: string,
  dir: string,
  unknownPackage: () => string,
): Promise<Record<string, unknown>> {
  let url: string;
  if (isModulePath(specifier)) {
    url = specifier.startsWith('file:') ? specifier : pathToFileURL(resolve(dir, specifier)).href;
  } else {
    try {
      url = pathToFileURL(createRequire(join(dir, 'matey.config')).resolve(specifier)).href;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new TypeError(
        code === 'MODULE_NOT_FOUND'
          ? unknownPackage()
          : `cannot resolve package '${specifier}' from ${dir}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ERR_MODULE_NOT_FOUND' ? 'no such module' : (error as Error).message.split('\n')[0];
    throw new TypeError(`cannot load '${specifier}' (from ${dir}): ${reason}`);
  }
}
