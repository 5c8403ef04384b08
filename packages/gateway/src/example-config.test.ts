// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { gatewayConfigSchema } from './config-schema.ts';
import { parseConfig } from './load-config.ts';

const examplePath = fileURLToPath(new URL('../../../matey.config.example.yaml', import.meta.url));

const env = {
  OPENAI_API_KEY: 'sk-example-openai',
  ANTHROPIC_API_KEY: 'sk-ant-example',
  GROQ_API_KEY: 'gsk_example',
  MATEY_TEAM_KEY: 'team-web-key-0001',
};

/** Every field path the schema accepts (`*` for a record key or an array element). */
function schemaPaths(schema: z.ZodType, prefix: string, out: Set<string>): Set<string> {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const inner = (def.innerType ?? undefined) as z.ZodType | undefined;
  if (inner && ['default', 'prefault', 'optional', 'nullable'].includes(def.type as string))
    return schemaPaths(inner, prefix, out);
  if (def.type === 'object') {
    for (const [key, value] of Object.entries(def.shape as Record<string, z.ZodType>)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.add(path);
      schemaPaths(value, path, out);
    }
  } else if (def.type === 'record') {
    schemaPaths(def.valueType as z.ZodType, `${prefix}.*`, out);
  } else if (def.type === 'array') {
    schemaPaths(def.element as z.ZodType, `${prefix}.*`, out);
  } else if (def.type === 'union') {
    for (const option of def.options as z.ZodType[]) schemaPaths(option, prefix, out);
  }
  return out;
}

/** Every field path present in a parsed document, record keys and indexes turned into `*`. */
function documentPaths(value: unknown, prefix: string, wildcard: Set<string>, out: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) documentPaths(item, `${prefix}.*`, wildcard, out);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = wildcard.has(prefix) ? `${prefix}.*` : prefix ? `${prefix}.${key}` : key;
      out.add(path);
      documentPaths(child, path, wildcard, out);
    }
  }
  return out;
}

describe('matey.config.example.yaml', () => {
  it('is a valid config with the environment variables it names', async () => {
    const text = await readFile(examplePath, 'utf8');
    const config = parseConfig(text, 'matey.config.example.yaml', env);
    expect(config.providers.openai?.apiKey).toBe('sk-example-openai');
    expect(config.providers.local).toMatchObject({
      type: 'openai-compatible',
      baseURL: 'http://127.0.0.1:8080/v1',
      enabled: false,
    });
    expect(config.server.port).toBe(8787);
    expect(config.models.fast).toBe('groq/llama-3.1-8b-instant');
    expect(config.routing.fallbacks).toContain('anthropic/claude-haiku-4-5');
    expect(config.routing.circuitBreaker).toEqual({ failureThreshold: 5, cooldownMs: 30_000 });
    expect(config.keys.map((key) => key.id)).toEqual(['team-web', 'batch-jobs']);
    expect(config.keys[0]?.key).toBe('team-web-key-0001');
    expect(config.store).toBe('redis://127.0.0.1:6379');
    expect(config.bulkheads?.providers.anthropic).toEqual({
      maxConcurrent: 16,
      maxQueue: 32,
      queueTimeoutMs: 1000,
    });
  });

  it('fails on a missing variable it needs, so its ${…} are real', async () => {
    const text = await readFile(examplePath, 'utf8');
    const { MATEY_TEAM_KEY: _omitted, ...partial } = env;
    expect(() => parseConfig(text, 'matey.config.example.yaml', partial)).toThrow(
      /keys\.0\.key: environment variable MATEY_TEAM_KEY is not set/,
    );
  });

  it('shows every field of the schema', async () => {
    const text = await readFile(examplePath, 'utf8');
    const wanted = schemaPaths(gatewayConfigSchema, '', new Set());
    const shown = documentPaths(
      parse(text),
      '',
      new Set(['providers', 'models', 'bulkheads.providers', 'bulkheads.keys']),
      new Set(),
    );
    const missing = [...wanted].filter((path) => !shown.has(path));
    expect(missing).toEqual([]);
  });
});
