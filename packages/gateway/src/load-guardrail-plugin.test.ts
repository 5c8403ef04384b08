import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertGuardrail, loadGuardrailPlugin } from './load-guardrail-plugin.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guardrail-plugin-'));
  await writeFile(
    join(dir, 'named.mjs'),
    "export function createGuardrail(o) { return { name: 'named', phases: ['output'], check: () => ({ verdict: 'pass' }), o }; }\n",
  );
  await writeFile(
    join(dir, 'default.mjs'),
    "export default { createGuardrail: () => ({ name: 'default', phases: ['input'], check: () => ({ verdict: 'pass' }) }) };\n",
  );
  await writeFile(join(dir, 'wrong.mjs'), 'export const createBackend = () => ({});\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadGuardrailPlugin', () => {
  it('loads createGuardrail from a module path (relative to the config folder), named or default', async () => {
    const named = await loadGuardrailPlugin('./named.mjs', dir);
    expect(assertGuardrail(await named.createGuardrail({}), './named.mjs').name).toBe('named');
    const fallback = await loadGuardrailPlugin(join(dir, 'default.mjs'), '/');
    expect(assertGuardrail(await fallback.createGuardrail({}), 'default').phases).toEqual(['input']);
  });

  it('says what is wrong with a module, a missing file or an unknown package', async () => {
    await expect(loadGuardrailPlugin('./wrong.mjs', dir)).rejects.toThrow(
      "'./wrong.mjs' does not export createGuardrail(options) (it exports: createBackend); see docs/writing-a-guardrail.md",
    );
    await expect(loadGuardrailPlugin('./missing.mjs', dir)).rejects.toThrow(
      /cannot load '\.\/missing\.mjs'.*no such module/,
    );
    await expect(loadGuardrailPlugin('@acme/not-installed', dir)).rejects.toThrow(
      /unknown guardrail '@acme\/not-installed': not a built-in one \(pii, prompt-injection/,
    );
  });

  it('refuses what is not a Guardrail, naming what is missing', () => {
    expect(() => assertGuardrail({ name: 'x', phases: ['sideways'] }, './x.mjs')).toThrow(
      "createGuardrail of './x.mjs' returned no Guardrail (missing phases (['input'], ['output'] or both), check())",
    );
  });
});
