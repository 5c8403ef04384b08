import type { Backend } from 'ai.matey.core';
import {
  createGuardrailMiddleware,
  type Guardrail,
  type GuardrailVerdictEvent,
  type ModerationGuardrailOptions,
  moderationGuardrail,
  piiGuardrail,
  promptInjectionGuardrail,
  type ScopedGuardrail,
  systemPromptLeakGuardrail,
  type WebhookGuardrailOptions,
  webhookGuardrail,
} from 'ai.matey.middleware';
import type { ConfigIssue } from './config-error.ts';
import type { GatewayConfig, GuardrailConfig } from './config-schema.ts';
import { assertGuardrail, loadGuardrailPlugin } from './load-guardrail-plugin.ts';

export interface GuardrailSetup {
  /** The config file's folder, where plug-in modules and packages are looked up. */
  dir: string;
  /** The enabled providers' backends by name (a moderation check calls one). */
  backends: ReadonlyMap<string, Backend>;
  onVerdict: (event: GuardrailVerdictEvent) => void;
}

type Options = Record<string, unknown>;

/**
 * The guardrail middleware the config's `guardrails:` asks for, or undefined when it asks for
 * none; `issues` collects what is wrong with each entry (an unknown check, a bad option).
 */
export async function guardrailsFromConfig(
  config: GatewayConfig,
  setup: GuardrailSetup,
  issues: ConfigIssue[],
) {
  const scoped: ScopedGuardrail[] = [];
  for (const [index, entry] of config.guardrails.entries()) {
    try {
      const guardrail = await guardrailOf(entry, setup);
      scoped.push({
        guardrail,
        ...(entry.keys ? { keys: entry.keys } : {}),
        ...(entry.models ? { models: entry.models } : {}),
      });
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      issues.push({ field: `guardrails.${index}`, message: error.message });
    }
  }
  if (scoped.length === 0) return undefined;
  return createGuardrailMiddleware({
    guardrails: scoped,
    windowChars: config.middleware.guardrailWindowChars,
    onVerdict: setup.onVerdict,
  });
}

async function guardrailOf(entry: GuardrailConfig, setup: GuardrailSetup): Promise<Guardrail> {
  const options: Options = entry.options;
  switch (entry.use) {
    case 'pii':
      return piiGuardrail(options);
    case 'prompt-injection':
      return promptInjectionGuardrail(options);
    case 'system-prompt-leak':
      return systemPromptLeakGuardrail(options);
    case 'webhook':
      return webhookGuardrail(options as unknown as WebhookGuardrailOptions);
    case 'moderation':
      return moderationOf(options, setup.backends);
    default: {
      const plugin = await loadGuardrailPlugin(entry.use, setup.dir);
      return assertGuardrail(await plugin.createGuardrail(options), entry.use);
    }
  }
}

/** `options.provider` names the configured provider whose moderation endpoint is called. */
function moderationOf(options: Options, backends: ReadonlyMap<string, Backend>): Guardrail {
  const { provider, ...rest } = options;
  const backend = typeof provider === 'string' ? backends.get(provider) : undefined;
  if (!backend) {
    throw new TypeError(
      `a moderation guardrail needs options.provider, one of the enabled providers (${[...backends.keys()].join(', ')})`,
    );
  }
  const { moderate } = backend;
  if (!moderate) throw new TypeError(`provider '${String(provider)}' has no moderation endpoint`);
  return moderationGuardrail({
    ...(rest as Partial<ModerationGuardrailOptions>),
    moderate: (request, callOptions) => moderate.call(backend, request, callOptions),
  });
}
