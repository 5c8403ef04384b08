import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from 'ai.matey.gateway';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { runMatey, spawnMatey } from '../test-support/run-matey.ts';

const examplePackage = fileURLToPath(new URL('../../../../examples/acme-backend', import.meta.url));
const open: Array<{ close(): Promise<void> }> = [];
const servers: ChildProcess[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) if (server.exitCode === null) server.kill('SIGKILL');
  await Promise.all(open.splice(0).map((item) => item.close()));
});

/** A user's project folder: the example package installed under its name, plus `files`. */
async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'matey-plugin-'));
  await mkdir(join(dir, 'node_modules', '@acme'), { recursive: true });
  await symlink(examplePackage, join(dir, 'node_modules', '@acme', 'matey-backend'), 'dir');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function acmeUpstream(text: string): Promise<MockUpstream> {
  const upstream = await startMockUpstream({ apiKeys: ['acme-test-key'], provider: 'acme', reply: { text } });
  open.push(upstream);
  return upstream;
}

describe('matey serve with a plug-in backend', () => {
  it('serves the example package, by package name and by module path, to the OpenAI client', async () => {
    const byName = await acmeUpstream('Hello from the acme package');
    const byPath = await acmeUpstream('Hello from the local module');
    const config = [
      'providers:',
      '  acme:',
      '    type: "@acme/matey-backend"',
      '    apiKey: acme-test-key',
      `    baseURL: ${byName.url}/v1`,
      '  acme-local:',
      '    type: ./acme-backend.js',
      '    apiKey: acme-test-key',
      `    baseURL: ${byPath.url}/v1`,
      'middleware:',
      '  logging: false',
    ].join('\n');
    const dir = await project({
      'matey.config.yaml': config,
      // The relative form: a module next to the config that re-exports the package's plug-in.
      'acme-backend.js': "export { createBackend, models } from '@acme/matey-backend';\n",
    });
    // Started from elsewhere: the module path is taken from the config file's folder.
    const server = spawnMatey(['serve', '--config', join(dir, 'matey.config.yaml'), '--port', '0'], {
      cwd: tmpdir(),
    });
    servers.push(server);
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout?.setEncoding('utf8').on('data', (text: string) => {
        out += text;
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (found?.[1]) resolve(found[1]);
      });
      server.stderr?.setEncoding('utf8').on('data', (text: string) => {
        out += text;
      });
      server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    expect(out).toContain(`Config: ${join(dir, 'matey.config.yaml')}`);
    expect(out).toContain('Providers: acme, acme-local');
    expect(out).toContain('  - acme: acme-large, acme-small');

    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'acme-large',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello from the acme package');
    expect(byName.requests.at(-1)).toMatchObject({
      path: '/v1/chat/completions',
      model: 'acme-large',
      status: 200,
    });
    expect(byName.requests.at(-1)?.headers['acme-version']).toBe('2025-06-01');

    const stream = await client.chat.completions.create({
      model: 'acme-local/acme-small',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      chunks++;
    }
    expect(text).toBe('Hello from the local module');
    expect(chunks).toBeGreaterThan(2);
    expect(byPath.requests.at(-1)).toMatchObject({ model: 'acme-small', stream: true, status: 200 });

    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('lists every provider it cannot load, with what is known, and exits 2', async () => {
    const dir = await project({
      'matey.config.yaml': [
        'providers:',
        '  missing-file:',
        '    type: ./nowhere.js',
        '  missing-package:',
        '    type: "@acme/not-installed"',
        '  wrong-shape:',
        '    type: ./wrong-shape.js',
        '  typo:',
        '    type: opnai',
      ].join('\n'),
      'wrong-shape.js': 'export const backend = {};\n',
    });
    const run = await runMatey(['serve', '--port', '0'], { cwd: dir });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      `config error: matey.config.yaml: providers.missing-file.type: cannot load './nowhere.js' (from ${dir}): no such module`,
      expect.stringMatching(
        /^config error: matey\.config\.yaml: providers\.missing-package\.type: unknown type '@acme\/not-installed': not a built-in one \(openai, anthropic, .*, openai-compatible\) and no package of that name is installed where .* can see it/,
      ),
      "config error: matey.config.yaml: providers.wrong-shape.type: './wrong-shape.js' does not export createBackend(options) (it exports: backend); see docs/writing-a-backend.md",
      expect.stringMatching(
        /^config error: matey\.config\.yaml: providers\.typo\.type: unknown type 'opnai': not a built-in one/,
      ),
    ]);
  });
});

describe('docs/writing-a-backend.md', () => {
  it('has a config sample the gateway accepts', async () => {
    const guide = await readFile(new URL('../../../../docs/writing-a-backend.md', import.meta.url), 'utf8');
    const sample = /```yaml\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
    const config = parseConfig(sample, 'guide.yaml', { ACME_API_KEY: 'acme-key' });
    expect(config.providers).toMatchObject({
      acme: { type: '@acme/matey-backend', apiKey: 'acme-key' },
      'acme-local': { type: './acme-backend.js', models: ['acme-experimental'] },
    });
  });
});
