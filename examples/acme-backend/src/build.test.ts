import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Backend } from 'ai.matey.core';
import { startMockUpstream } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/.bin/tsc', import.meta.url));

describe('the example package build', () => {
  it('compiles to dist/ with types, and the built plug-in serves a call', async () => {
    const dist = `${packageDir}dist`;
    await rm(dist, { recursive: true, force: true });
    // What `pnpm --filter @acme/matey-backend build` runs.
    await promisify(execFile)(tsc, ['-p', 'tsconfig.build.json'], { cwd: packageDir });
    expect(existsSync(`${dist}/index.d.ts`)).toBe(true);
    expect(existsSync(`${dist}/acme-v0/acme-v0-codec.js`)).toBe(true);
    expect(existsSync(`${dist}/acme-backend-adapter.test.js`)).toBe(false);

    const built = (await import(`${dist}/index.js`)) as {
      createBackend(options: { name: string; apiKey?: string; baseURL?: string }): Backend;
      models: readonly string[];
    };
    expect(built.models).toEqual(['acme-large', 'acme-small']);
    await using upstream = await startMockUpstream({ apiKeys: ['acme-built-key'], reply: { text: 'built' } });
    const backend = built.createBackend({
      name: 'acme',
      apiKey: 'acme-built-key',
      baseURL: `${upstream.url}/v1`,
    });
    const reply = await backend.execute({ messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.content).toEqual([{ type: 'text', text: 'built' }]);
  }, 60_000);
});
