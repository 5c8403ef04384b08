// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from './load-config.ts';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfigFile', () => {
  it('reads YAML and JSON files into the same config, defaults filled in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matey-config-'));
    const yamlPath = join(dir, 'matey.config.yaml');
    const jsonPath = join(dir, 'matey.config.json');
    await writeFile(
      yamlPath,
      'server:\n  port: 9000\nrouting:\n  strategy: round-robin\n  fallbacks: [groq]\n',
    );
    await writeFile(
      jsonPath,
      JSON.stringify({ server: { port: 9000 }, routing: { strategy: 'round-robin', fallbacks: ['groq'] } }),
    );
    const fromYaml = await loadConfigFile(yamlPath, {});
    const fromJson = await loadConfigFile(jsonPath, {});
    expect(fromYaml).toEqual(fromJson);
    expect(fromYaml.server).toMatchObject({ port: 9000, host: '127.0.0.1', websocketPath: '/v1/ws' });
    expect(fromYaml.routing).toMatchObject({ strategy: 'round-robin', fallbacks: ['groq'] });
    expect(fromYaml.middleware.logging).toEqual({ level: 'info' });
  });

  it('names the file when it cannot be read', async () => {
    await expect(loadConfigFile('/nonexistent/matey.config.yaml', {})).rejects.toThrow(
      '/nonexistent/matey.config.yaml: cannot read the config file: ENOENT',
    );
  });
});

describe('parseConfig', () => {
  it('replaces ${VAR} and ${VAR:-default} from the environment', () => {
    const text = [
      'providers:',
      '  groq:',
      '    apiKey: ${GROQ_KEY}',
      '    baseURL: ${GROQ_URL:-http://127.0.0.1:9/v1}',
      '    defaultModel: prefix-${MODEL_SUFFIX:-small}',
    ].join('\n');
    const config = parseConfig(text, 'matey.config.yaml', { GROQ_KEY: 'gsk_secret123' });
    expect(config.providers.groq).toEqual({
      apiKey: 'gsk_secret123',
      baseURL: 'http://127.0.0.1:9/v1',
      defaultModel: 'prefix-small',
    });
    const overridden = parseConfig(text, 'matey.config.yaml', {
      GROQ_KEY: 'k',
      GROQ_URL: 'http://127.0.0.1:7/v1',
    });
    expect(overridden.providers.groq?.baseURL).toBe('http://127.0.0.1:7/v1');
  });

  it('turns a whole-variable value into the number or boolean the field wants', () => {
    const text = 'server:\n  port: ${PORT_X:-8123}\n  trustProxy: ${TRUST:-true}\nsimulate: ${SIM}\n';
    const config = parseConfig(text, 'c.yaml', { SIM: 'false' });
    expect(config.server.port).toBe(8123);
    expect(config.server.trustProxy).toBe(true);
    expect(config.simulate).toBe(false);
    // A string field keeps a numeric-looking value as text.
    const keyed = parseConfig('keys:\n  - id: a\n    key: ${K}\n', 'c.yaml', { K: '1234567890' });
    expect(keyed.keys[0]?.key).toBe('1234567890');
    const nested = parseConfig(
      'middleware:\n  retry:\n    maxAttempts: ${RETRIES}\nrouting:\n  circuitBreaker:\n    failureThreshold: ${FAILS:-4}\n    cooldownMs: 1000\n',
      'c.yaml',
      { RETRIES: '5' },
    );
    expect(nested.middleware.retry).toEqual({ maxAttempts: 5 });
    expect(nested.routing.circuitBreaker).toEqual({ failureThreshold: 4, cooldownMs: 1000 });
    expect(() => parseConfig('server:\n  port: ${P}\n', 'c.yaml', { P: 'eighty' })).toThrow(
      'c.yaml:2: server.port: Invalid input: expected number, received string',
    );
  });

  it('names the line and field of an unset environment variable', () => {
    const text = 'server:\n  port: 8787\nproviders:\n  openai:\n    apiKey: ${OPENAI_KEY_MISSING}\n';
    const error = configError(() => parseConfig(text, 'matey.config.yaml', {}));
    expect(error.message).toBe(
      'matey.config.yaml:5: providers.openai.apiKey: environment variable OPENAI_KEY_MISSING is not set (use ${OPENAI_KEY_MISSING:-default} for a default)',
    );
    expect(error).toMatchObject({ line: 5, field: 'providers.openai.apiKey' });
  });

  it('names the line and dotted field of a value of the wrong type or out of range', () => {
    const text = [
      '# the gateway',
      'server:',
      '  port: 8787',
      '',
      'providers: {}',
      'routing:',
      '  strategy: fastest',
    ].join('\n');
    const error = configError(() => parseConfig(text, 'matey.config.yaml', {}));
    expect(error.message).toMatch(/^matey\.config\.yaml:7: routing\.strategy: Invalid option/);
    expect(error).toMatchObject({ line: 7, field: 'routing.strategy' });

    const keys =
      'keys:\n  - id: a\n    key: long-enough-key\n  - id: b\n    requestsPerMinute: -3\n    key: another-key\n';
    expect(configError(() => parseConfig(keys, 'k.yaml', {})).message).toMatch(
      /^k\.yaml:5: keys\.1\.requestsPerMinute: /,
    );
    expect(configError(() => parseConfig('servr:\n  port: 1\n', 'x.yaml', {})).message).toMatch(
      /^x\.yaml:1: .*servr/,
    );
  });

  it('names the field inside a setting that is one of several shapes', () => {
    const text = 'routing:\n  circuitBreaker:\n    failureThreshold: 3\n    cooldownMs: soon\n';
    expect(configError(() => parseConfig(text, 'm.yaml', {})).message).toBe(
      'm.yaml:4: routing.circuitBreaker.cooldownMs: Invalid input: expected number, received string',
    );
    expect(configError(() => parseConfig('middleware:\n  retry: true\n', 'm.yaml', {})).message).toMatch(
      /^m\.yaml:2: middleware\.retry: /,
    );
  });

  it('locates errors in JSON files too', () => {
    const text = '{\n  "server": {\n    "port": "eighty"\n  }\n}\n';
    expect(configError(() => parseConfig(text, 'matey.config.json', {})).message).toBe(
      'matey.config.json:3: server.port: Invalid input: expected number, received string',
    );
  });

  it('reports a YAML syntax error with its line', () => {
    const text = 'server:\n  port: 8787\n  host: [127.0.0.1\nrouting:\n  strategy: cost\n';
    const error = configError(() => parseConfig(text, 'matey.config.yaml', {}));
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(new RegExp(`^matey\\.config\\.yaml:${error.line}: `));
    const tabs = configError(() => parseConfig('a: b\n  c: d\n', 'bad.yaml', {}));
    expect(tabs.message).toMatch(/^bad\.yaml:[12]: /);
  });
});

describe('parseConfig refuses hostile or mistaken files with a clear error', () => {
  it('reports an alias that contains itself, at its line, instead of overflowing the stack', () => {
    const text = 'server:\n  port: 8787\nmodels: &loop\n  fast: groq/llama\n  again: *loop\n';
    const error = configError(() => parseConfig(text, 'loop.yaml', {}));
    expect(error.message).toBe('loop.yaml:5: the alias *loop refers to a node that contains it (a loop)');
    expect(error.line).toBe(5);
  });

  it('refuses an alias bomb ("billion laughs") before expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, name] of [...'bcdefghi'].entries()) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`);
    }
    const started = performance.now();
    const error = configError(() => parseConfig(`${levels.join('\n')}\n`, 'laughs.yaml', {}));
    expect(error.message).toMatch(/^laughs\.yaml:2: aliases expand to too many nodes .*alias bomb/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('reports each unknown field at its own line, naming the fields known there', () => {
    const text = 'server:\n  port: 8787\n  prot: 9000\nmiddleware:\n  retry:\n    maxAtempts: 3\n';
    const error = configError(() => parseConfig(text, 'typo.yaml', {}));
    expect(error.issues.map((issue) => [issue.line, issue.field])).toEqual([
      [3, 'server.prot'],
      [6, 'middleware.retry.maxAtempts'],
    ]);
    expect(error.message.split('\n')[0]).toBe(
      'typo.yaml:3: server.prot: unknown field (known here: host, port, shutdownGraceMs, corsOrigins, trustProxy, maxBodyBytes, maxMessages, websocketPath, maxConnections, headersTimeoutMs, bodyTimeoutMs, requestTimeoutMs, streamIdleTimeoutMs, responseTtlMs, workers, heap, dashboard)',
    );
    expect(error.message.split('\n')[1]).toBe(
      'typo.yaml:6: middleware.retry.maxAtempts: unknown field (known here: maxAttempts)',
    );
  });

  it('refuses names that refer to no configured provider, and aliases of aliases', () => {
    const text = [
      'providers:',
      '  groq: { apiKey: k }',
      '  openai: { apiKey: k, enabled: false }',
      'models:',
      '  fast: grok/llama-3.1-8b-instant',
      '  quick: fast',
      '  cheap: llama-3.1-8b-instant',
      'routing:',
      '  defaultProvider: openai',
      '  fallbacks: [groq, anthropic/claude-haiku-4-5]',
    ].join('\n');
    const error = configError(() => parseConfig(text, 'names.yaml', {}));
    expect(error.issues).toEqual([
      {
        line: 5,
        field: 'models.fast',
        message:
          "'grok/llama-3.1-8b-instant' is neither `provider/model` nor a model a provider serves (configured providers: groq)",
      },
      {
        line: 6,
        field: 'models.quick',
        message: "'fast' is another alias: aliases do not chain, name the model",
      },
      { line: 9, field: 'routing.defaultProvider', message: "'openai' is disabled (enabled: false)" },
      {
        line: 10,
        field: 'routing.fallbacks.1',
        message: "'anthropic' is not a provider (configured providers: groq)",
      },
    ]);
  });

  it('refuses a semantic cache embedding model no provider serves, and an opt-in without the section', () => {
    const text = [
      'providers:',
      '  openai: { apiKey: k }',
      'middleware:',
      '  semanticCache: { embeddingModel: voyage/voyage-3.5 }',
    ].join('\n');
    expect(configError(() => parseConfig(text, 's.yaml', {})).issues).toMatchObject([
      {
        line: 4,
        field: 'middleware.semanticCache.embeddingModel',
        message: expect.stringContaining("'voyage/voyage-3.5'"),
      },
    ]);
    const optIn = 'keys:\n  - { id: app, key: app-key-123, semanticCache: true }\n';
    expect(configError(() => parseConfig(optIn, 'k.yaml', {})).issues).toMatchObject([
      { field: 'keys.0.semanticCache', message: 'middleware.semanticCache is off' },
    ]);
  });

  it('checks names against the built-in providers when the file lists none', () => {
    const error = configError(() =>
      parseConfig('routing:\n  defaultProvider: opnai\n  fallbacks: [groq]\n', 'c.yaml', {}),
    );
    expect(error.issues).toHaveLength(1);
    expect(error.message).toMatch(
      /^c\.yaml:2: routing\.defaultProvider: 'opnai' is not a provider \(built-in providers: openai, anthropic, /,
    );
  });

  it('refuses duplicate key ids and the same key twice, without printing the key', () => {
    const text = [
      'keys:',
      '  - { id: web, key: first-secret-1 }',
      '  - { id: web, key: second-secret-2 }',
      '  - { id: batch, key: first-secret-1 }',
    ].join('\n');
    const error = configError(() => parseConfig(text, 'keys.yaml', {}));
    expect(error.message).toBe(
      [
        "keys.yaml:3: keys.1.id: duplicate key id 'web' (also keys.0)",
        'keys.yaml:4: keys.2.key: the same key as keys.0',
      ].join('\n'),
    );
    expect(error.message).not.toContain('first-secret-1');
  });

  it('reports every problem of a file at once, in file order', () => {
    const text = [
      'server:',
      '  port: eighty',
      '  hots: 0.0.0.0',
      'providers:',
      '  acme: { baseURL: "http://127.0.0.1:9/v1" }',
      '  local: { type: openai-compatible }',
      'routing:',
      '  strategy: fastest',
      '  fallbacks: [nobody]',
      'keys:',
      '  - id: a',
      '    key: ${MISSING_KEY}',
    ].join('\n');
    const error = configError(() => parseConfig(text, 'all.yaml', {}));
    expect(error.issues.map((issue) => `${issue.line} ${issue.field}`)).toEqual([
      '2 server.port',
      '3 server.hots',
      '5 providers.acme',
      '6 providers.local.baseURL',
      '8 routing.strategy',
      '9 routing.fallbacks.0',
      '12 keys.0.key',
    ]);
    expect(error.message.split('\n')).toHaveLength(7);
  });
});
