import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMatey, spawnMatey } from './test-support/run-matey.ts';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'matey-bin-'));
});

describe('matey', () => {
  it('prints its usage with --help, and each command its own', async () => {
    const top = await runMatey(['--help'], { cwd });
    expect(top.code).toBe(0);
    for (const command of ['serve', 'chat', 'batch', 'models']) expect(top.stdout).toContain(`  ${command} `);
    const chat = await runMatey(['chat', '--help'], { cwd });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toMatch(/^Usage: matey chat/);
    expect(chat.stdout).toContain('--provider');
  });

  it('exits 2 with a pointer to --help on an unknown command or option', async () => {
    const unknown = await runMatey(['fly'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'fly'");
    const badFlag = await runMatey(['batch', '--concurrency', 'lots', 'in.jsonl', '--out', 'o.jsonl'], {
      cwd,
    });
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--concurrency wants an integer from 1 to 1000, got "lots"');
    expect(badFlag.stderr).toContain('matey batch --help');
  });

  it('chat "hello" streams the answer to stdout and the usage line to stderr', async () => {
    const run = await runMatey(['chat', '--provider', 'groq', 'hello', 'there'], { cwd });
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('simulated groq upstream');
    expect(run.stdout).toContain('You said: "hello there"');
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stderr).toMatch(
      /\[groq\/llama-3\.1-8b-instant · \d+ in \+ \d+ out tokens · \$[\d.]+ · [\d.]+ s\]/,
    );
  });

  it('chat without a prompt keeps the conversation and obeys /model and /provider', async () => {
    const run = await runMatey(['chat', '--system', 'be brief'], {
      cwd,
      input:
        'first question\n/model gpt-4o\nsecond question\n/provider nowhere\n/provider deepseek\nthird\n/exit\nnever sent\n',
    });
    expect(run.code).toBe(0);
    const answers = run.stdout.trim().split('\n');
    expect(answers).toHaveLength(3);
    expect(answers[0]).toContain('gpt-4o-mini on the simulated openai');
    expect(answers[1]).toContain('gpt-4o on the simulated openai');
    expect(answers[2]).toContain('simulated deepseek upstream');
    expect(run.stderr).toContain("unknown provider 'nowhere'");
    // Each turn sends the history: the input token counts grow.
    const inputs = [...run.stderr.matchAll(/· (\d+) in \+/g)].map((match) => Number(match[1]));
    expect(inputs).toHaveLength(3);
    expect(inputs[1]).toBeGreaterThan(inputs[0] ?? 0);
    expect(inputs[2]).toBeGreaterThan(inputs[1] ?? 0);
    expect(run.stdout).not.toContain('never sent');
  });

  it('chat reports a config error with its line and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matey-bad-config-'));
    await writeFile(join(dir, 'matey.config.yaml'), 'server:\n  port: 80\nrouting:\n  strategy: fastest\n');
    const run = await runMatey(['chat', 'hi'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config error: matey\.config\.yaml:4: routing\.strategy: /);
  });

  it('serve lists every config problem, one per line, and exits 2 without listening', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matey-bad-config-'));
    await writeFile(
      join(dir, 'matey.config.yaml'),
      'server:\n  prot: 1\nrouting:\n  defaultProvider: opnai\nkeys:\n  - { id: a, key: key-number-1 }\n  - { id: a, key: key-number-2 }\n',
    );
    const run = await runMatey(['serve', '--port', '0'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).not.toContain('listening');
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^config error: matey\.config\.yaml:2: server\.prot: unknown field/),
      expect.stringMatching(
        /^config error: matey\.config\.yaml:4: routing\.defaultProvider: 'opnai' is not a provider/,
      ),
      "config error: matey.config.yaml:7: keys.1.id: duplicate key id 'a' (also keys.0)",
    ]);
  });

  it('models --json lists each provider with context windows and prices', async () => {
    const run = await runMatey(['models', '--json'], { cwd });
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(new Set(rows.map((row) => row.provider))).toEqual(
      new Set(['openai', 'anthropic', 'groq', 'deepseek']),
    );
    expect(rows).toContainEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      contextWindow: 128_000,
      inputPerMTok: 0.15,
      outputPerMTok: 0.6,
      source: 'provider',
    });
    const table = await runMatey(['models', '--provider', 'groq'], { cwd });
    expect(table.stdout.split('\n')[0]).toMatch(/^PROVIDER\s+MODEL\s+CONTEXT/);
    expect(table.stdout).toContain('llama-3.1-8b-instant');
    expect(table.stdout).not.toContain('gpt-4o');
  });

  it('serve prints the banner, answers, and exits 0 after SIGTERM; chat --url talks to it', async () => {
    const server = spawnMatey(['serve', '--port', '0'], { cwd });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout?.setEncoding('utf8').on('data', (text: string) => {
        out += text;
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (found?.[1]) resolve(found[1]);
      });
      server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    try {
      expect(out).toContain('SIMULATED fleet');
      expect(out).toContain(
        `Config: none (no matey.config.yaml, matey.config.yml, matey.config.json in ${cwd})`,
      );
      const remote = await runMatey(['chat', '--url', url, '-p', 'anthropic', 'over the wire'], { cwd });
      expect(remote.code).toBe(0);
      expect(remote.stdout).toContain('simulated anthropic upstream');
      expect(remote.stdout).toContain('You said: "over the wire"');
      expect(remote.stderr).toMatch(/\[anthropic\/claude-haiku-4-5 · \d+ in/);
    } finally {
      const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
