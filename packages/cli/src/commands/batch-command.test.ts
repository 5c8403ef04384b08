import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatRequest } from 'ai.matey.core';
import { type MockUpstream, type MockUpstreamReply, startMockUpstream } from 'ai.matey.testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMatey, spawnMatey } from '../test-support/run-matey.ts';

let cwd: string;
let upstream: MockUpstream | undefined;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'matey-batch-'));
});
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

function itemNumber(request: ChatRequest): number {
  const last = request.messages.at(-1);
  return Number(/item (\d+)/.exec(typeof last?.content === 'string' ? last.content : '')?.[1] ?? -1);
}

/** A provider behind a config file: `reply(i)` answers item i. */
async function providerConfig(reply: (item: number) => MockUpstreamReply): Promise<MockUpstream> {
  upstream = await startMockUpstream({ reply: (request) => reply(itemNumber(request)) });
  await writeFile(
    join(cwd, 'matey.config.yaml'),
    [
      'providers:',
      '  mock:',
      '    type: openai-compatible',
      `    baseURL: ${upstream.url}/v1`,
      '    defaultModel: mock-model',
      'middleware:',
      '  retry: false',
      '  logging: false',
    ].join('\n'),
  );
  return upstream;
}

async function writeInput(count: number): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? JSON.stringify({ id: `q${i}`, prompt: `item ${i}` })
      : JSON.stringify({ messages: [{ role: 'user', content: `item ${i}` }], maxOutputTokens: 50 }),
  );
  await writeFile(join(cwd, 'in.jsonl'), `${lines.join('\n')}\n\n`);
}

async function readOutput(): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(join(cwd, 'out.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const chatCalls = (mock: MockUpstream) => mock.requests.filter((r) => r.path.endsWith('/chat/completions'));

describe('matey batch', () => {
  it('writes one line per input line, in input order, although later items finish first', async () => {
    // Early items are the slowest, so completion order is roughly the reverse of input order.
    const mock = await providerConfig((i) => ({ text: `answer ${i}`, latencyMs: (20 - i) * 4 }));
    await writeInput(20);
    const run = await runMatey(['batch', 'in.jsonl', '--out', 'out.jsonl', '-j', '8'], { cwd });
    expect(run.stderr).toContain('20 succeeded, 0 failed');
    expect(run.code).toBe(0);
    const lines = await readOutput();
    expect(lines.map((line) => line.index)).toEqual([...Array(20).keys()]);
    expect(lines.map((line) => line.text)).toEqual([...Array(20).keys()].map((i) => `answer ${i}`));
    expect(lines[0]).toMatchObject({
      id: 'q0',
      ok: true,
      provider: 'mock',
      model: 'mock-model',
      finishReason: 'stop',
    });
    expect(lines[1]).not.toHaveProperty('id');
    expect(chatCalls(mock)).toHaveLength(20);
    expect(run.stderr).toMatch(/batch: 20\/20 100%/);
    expect(existsSync(join(cwd, 'out.jsonl.checkpoint'))).toBe(false);
  });

  it('--resume after an interrupted run sends only the unfinished items', async () => {
    const mock = await providerConfig((i) => ({ text: `answer ${i}`, latencyMs: 100 }));
    await writeInput(20);
    const child = spawnMatey(['batch', 'in.jsonl', '--out', 'out.jsonl', '-j', '2'], { cwd });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    for (let waited = 0; chatCalls(mock).length < 6 && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const checkpoint = (await readFile(join(cwd, 'out.jsonl.checkpoint'), 'utf8')).trim().split('\n');
    const finished = checkpoint.length;
    expect(finished).toBeGreaterThan(0);
    expect(finished).toBeLessThan(20);
    const partial = await readOutput();
    expect(partial.map((line) => line.index)).toEqual([...Array(partial.length).keys()]);

    const again = await runMatey(['batch', 'in.jsonl', '--out', 'out.jsonl'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--resume');

    const before = chatCalls(mock).length;
    const resumed = await runMatey(['batch', 'in.jsonl', '--out', 'out.jsonl', '--resume'], { cwd });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming: ${finished} of 20 already finished`);
    expect(chatCalls(mock).length - before).toBe(20 - finished);
    const lines = await readOutput();
    expect(lines.map((line) => line.text)).toEqual([...Array(20).keys()].map((i) => `answer ${i}`));
  });

  it('records failures, exits 1, and retries only them with --resume --retry-failed', async () => {
    let failing = true;
    const mock = await providerConfig((i) =>
      failing && i % 7 === 3
        ? { error: 'invalid-request', errorMessage: `bad item ${i}` }
        : { text: `answer ${i}` },
    );
    await writeInput(20);
    const first = await runMatey(['batch', 'in.jsonl', '--out', 'out.jsonl'], { cwd });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('17 succeeded, 3 failed');
    const lines = await readOutput();
    expect(lines.filter((line) => !line.ok).map((line) => line.index)).toEqual([3, 10, 17]);
    expect(lines[3]).toMatchObject({ ok: false, error: { kind: 'invalid-request', status: 400 } });
    expect(JSON.stringify(lines[3])).toContain('bad item 3');

    const kept = await runMatey(['batch', 'in.jsonl', '--out', 'out.jsonl', '--resume'], { cwd });
    expect(kept.code).toBe(1);
    expect((await readOutput())[10]).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });

    failing = false;
    const before = chatCalls(mock).length;
    const retried = await runMatey(
      ['batch', 'in.jsonl', '--out', 'out.jsonl', '--resume', '--retry-failed'],
      {
        cwd,
      },
    );
    expect(retried.code).toBe(0);
    expect(chatCalls(mock).length - before).toBe(3);
    expect((await readOutput()).every((line) => line.ok)).toBe(true);
  });

  it('names the line of a bad input before sending anything', async () => {
    await writeFile(
      join(cwd, 'in.jsonl'),
      '{"prompt":"fine"}\n{"messages":[{"role":"robot","content":"x"}]}\n',
    );
    const run = await runMatey(['batch', 'in.jsonl', '--out', 'out.jsonl'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('in.jsonl:2: messages.0.role: one of system, user, assistant, tool');
  });
});
