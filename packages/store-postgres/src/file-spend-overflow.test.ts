import { appendFile, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSpendOverflow } from './file-spend-overflow.ts';
import type { QueuedSpendRow } from './spend-overflow.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'matey-overflow-'));
  dirs.push(dir);
  return dir;
}

function rows(from: number, count: number): QueuedSpendRow[] {
  return Array.from({ length: count }, (_, index) => ({
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, from + index)),
    call_id: `00000000-0000-4000-8000-${String(from + index).padStart(12, '0')}`,
    request_id: `req-${from + index}`,
    key_id: 'key_a',
    provider: 'openai',
    model: 'gpt-4o-mini',
    input_tokens: 1,
    output_tokens: 1,
    cached_tokens: null,
    reasoning_tokens: null,
    cost_usd: 0.001,
    latency_ms: 5,
    first_event_ms: null,
    status: 'ok',
    error_kind: null,
    attempts: 1,
    streamed: false,
  }));
}

/** Everything the overflow hands out, as request ids; `write` fails the first `failures` times. */
async function drainAll(overflow: FileSpendOverflow, failures = 0): Promise<string[]> {
  const written: string[] = [];
  let left = failures;
  for (let round = 0; round < 20; round++) {
    const count = await overflow
      .drain(7, async (batch) => {
        if (left-- > 0) throw new Error('database away');
        for (const row of batch as QueuedSpendRow[]) {
          expect(row.at).toBeInstanceOf(Date);
          written.push(String(row.request_id));
        }
      })
      .catch(() => -1);
    if (count === 0) break;
  }
  return written;
}

describe('FileSpendOverflow', () => {
  it('keeps rows in JSONL until written, keeps them through a failed write, and leaves no file after', async () => {
    const dir = await folder();
    const overflow = await FileSpendOverflow.open({ dir });
    await overflow.append(rows(0, 20));
    await overflow.append(rows(20, 5));
    expect(await overflow.size()).toBe(25);
    const written = await drainAll(overflow, 1);
    // The failed batch is handed out again: each row at least once, the log's call_id keeps one.
    expect(new Set(written)).toEqual(new Set(rows(0, 25).map((row) => row.request_id)));
    expect(await overflow.size()).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it("writes what another process left (closed, or torn mid-line), but not a live replica's file", async () => {
    const dir = await folder();
    const before = await FileSpendOverflow.open({ dir });
    await before.append(rows(0, 3));
    await before.close();
    const live = await FileSpendOverflow.open({ dir });
    await live.append(rows(100, 4));
    const [leftName] = (await readdir(dir)).filter((name) => name.startsWith('left-'));
    await appendFile(join(dir, String(leftName)), '{"call_id":"torn');

    const next = await FileSpendOverflow.open({ dir });
    expect(await next.size()).toBe(7);
    expect((await drainAll(next)).sort()).toEqual(['req-0', 'req-1', 'req-2']);
    // The live replica's file, once untouched for longer than staleMs, is taken as left behind too.
    const [liveName] = await readdir(dir);
    const old = new Date(Date.now() - 120_000);
    await utimes(join(dir, String(liveName)), old, old);
    expect((await drainAll(next)).sort()).toEqual(['req-100', 'req-101', 'req-102', 'req-103']);
    expect(await readdir(dir)).toEqual([]);
  });
});
