import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { GuardrailPlugin } from 'ai.matey.middleware';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/.bin/tsc', import.meta.url));

describe('the example package build', () => {
  it('compiles to dist/ with types, and the built plug-in judges text', async () => {
    const dist = `${packageDir}dist`;
    await rm(dist, { recursive: true, force: true });
    // What `pnpm --filter @acme/matey-guardrail build` runs.
    await promisify(execFile)(tsc, ['-p', 'tsconfig.build.json'], { cwd: packageDir });
    expect(existsSync(`${dist}/index.d.ts`)).toBe(true);
    expect(existsSync(`${dist}/gateway.test.js`)).toBe(false);

    const built = (await import(`${dist}/index.js`)) as GuardrailPlugin;
    const guardrail = await built.createGuardrail({ codenames: ['PELICAN'] });
    const check = {
      phase: 'output' as const,
      before: '',
      final: true,
      request: { messages: [] },
      keyId: undefined,
      signal: new AbortController().signal,
    };
    expect(await guardrail.check({ ...check, text: 'Project PELICAN ships' })).toEqual({
      verdict: 'block',
      reason: 'mentions an internal code name (1 time)',
    });
    expect(await guardrail.check({ ...check, text: 'Nothing secret' })).toEqual({ verdict: 'pass' });
  }, 60_000);
});
