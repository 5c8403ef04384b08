import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMatey, spawnMatey } from '../test-support/run-matey.ts';

const REDIS = 'redis://127.0.0.1:6379';
const ITEMS = 12;

let cwd: string;
let upstream: MockUpstream;
let queue: string;
let workers: ChildProcess[] = [];

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'matey-distbatch-'));
  queue = `test-${randomUUID()}`;
  // Slow enough that one worker at one call at a time cannot keep up: both must take items.
  upstream = await startMockUpstream({ defaults: { latencyMs: 300 } });
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
  const lines = Array.from({ length: ITEMS }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `item ${i}` }));
  await writeFile(join(cwd, 'in.jsonl'), `${lines.join('\n')}\n`);
});

afterEach(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  workers = [];
  await upstream.close();
  const client = new Redis(REDIS);
  const keys = await client.keys(`matey:${queue}:*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
});

/** Starts `matey batch worker` and resolves once it says it is ready. */
function startWorker(): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawnMatey(
    ['batch', 'worker', '--redis', REDIS, '--queue', queue, '-j', '1', '--rpm', '600'],
    {
      cwd,
    },
  );
  workers.push(child);
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      if (stderr.includes('worker ready')) resolve({ child, stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${stderr}`)));
  });
}

describe('matey batch --redis', () => {
  it('two workers do the items once each, the results come back in input order, status shows the batch', async () => {
    const [first, second] = await Promise.all([startWorker(), startWorker()]);
    const run = await runMatey(
      [
        'batch',
        'in.jsonl',
        '--out',
        'out.jsonl',
        '--redis',
        REDIS,
        '--queue',
        queue,
        '--batch-id',
        'b1',
        '--submit-only',
        '--rpm',
        '600',
      ],
      { cwd },
    );
    expect(run.stderr).toContain(`matey batch status b1 --redis ${REDIS}`);
    expect(run.code).toBe(0);
    const out = (await readFile(join(cwd, 'out.jsonl'), 'utf8')).trim().split('\n');
    expect(out.map((line) => JSON.parse(line))).toEqual(
      Array.from({ length: ITEMS }, (_, i) =>
        expect.objectContaining({ index: i, id: `q${i}`, ok: true, text: `Echo: item ${i}` }),
      ),
    );
    expect(upstream.requests).toHaveLength(ITEMS);

    const status = await runMatey(['batch', 'status', 'b1', '--redis', REDIS, '--queue', queue], { cwd });
    expect(status.stdout).toContain(`batch b1: ${ITEMS} of ${ITEMS} done (0 failed), 0 pending`);
    expect(status.code).toBe(0);

    const stored = await Promise.all(
      [first, second].map(async ({ child, stderr }) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
        return Number(/worker stopped: (\d+) items stored/.exec(stderr())?.[1]);
      }),
    );
    expect(stored[0]).toBeGreaterThan(0);
    expect(stored[1]).toBeGreaterThan(0);
    expect((stored[0] ?? 0) + (stored[1] ?? 0)).toBe(ITEMS);
  }, 60_000);

  it('says what is wrong with --resume beside --redis, and with an unknown batch', async () => {
    const resumed = await runMatey(
      ['batch', 'in.jsonl', '--out', 'out.jsonl', '--redis', REDIS, '--resume'],
      { cwd },
    );
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain('rerun with the same --batch-id');
    const unknown = await runMatey(['batch', 'status', 'nothing-here', '--redis', REDIS, '--queue', queue], {
      cwd,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no batch "nothing-here"');
  });
});
