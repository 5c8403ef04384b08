import type { Guardrail, GuardrailPlugin } from 'ai.matey.middleware';
import { importPluginModule } from './import-plugin-module.ts';

/** The built-in guardrails a config's `use:` may name. */
export const BUILT_IN_GUARDRAILS = ['pii', 'prompt-injection', 'system-prompt-leak', 'moderation', 'webhook'];

/**
 * Imports the guardrail plug-in a config entry's `use` names (a module path from `dir`, the
 * config file's folder, or an installed package): a module that exports
 * `createGuardrail(options)`, itself or as its default export. Throws a `TypeError` saying what
 * is wrong.
 */
export async function loadGuardrailPlugin(use: string, dir: string): Promise<GuardrailPlugin> {
  const module = await importPluginModule(
    use,
    dir,
    () =>
      `unknown guardrail '${use}': not a built-in one (${BUILT_IN_GUARDRAILS.join(', ')}) and no package of that name is installed where ${dir} can see it (a module path starts with ./ or /)`,
  );
  const plugin = (typeof module.createGuardrail === 'function' ? module : module.default) as
    | Partial<GuardrailPlugin>
    | undefined;
  if (typeof plugin?.createGuardrail !== 'function') {
    throw new TypeError(
      `'${use}' does not export createGuardrail(options) (it exports: ${Object.keys(module).join(', ') || 'nothing'}); see docs/writing-a-guardrail.md`,
    );
  }
  return plugin as GuardrailPlugin;
}

/** Checks that a plug-in's `createGuardrail` returned something the middleware can run. */
export function assertGuardrail(value: unknown, use: string): Guardrail {
  const guardrail = value as Partial<Guardrail> | undefined;
  const phases = guardrail?.phases;
  const missing = [
    typeof guardrail?.name === 'string' && guardrail.name !== '' ? undefined : 'name',
    Array.isArray(phases) && phases.length > 0 && phases.every((p) => p === 'input' || p === 'output')
      ? undefined
      : "phases (['input'], ['output'] or both)",
    typeof guardrail?.check === 'function' ? undefined : 'check()',
  ].filter((name) => name !== undefined);
  if (missing.length > 0) {
    throw new TypeError(`createGuardrail of '${use}' returned no Guardrail (missing ${missing.join(', ')})`);
  }
  return guardrail as Guardrail;
}
