import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnMatey } from '../test-support/run-matey.ts';

const open: Array<{ close(): Promise<void> }> = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(open.splice(0).map((item) => item.close()));
});

/** `matey serve --workers N` against the mock upstream; the output so far is kept in `out()`. */
async function serveWorkers(upstream: MockUpstream, workers: string) {
  const dir = await mkdtemp(join(tmpdir(), 'matey-workers-'));
  const config = join(dir, 'matey.config.yaml');
  const lines = ['server:', '  port: 0', '  shutdownGraceMs: 20000', 'providers:', '  mock:'];
  lines.push('    type: openai-compatible', `    baseURL: ${upstream.url}/v1`, '    models: [mock-1]');
  await writeFile(config, [...lines, 'middleware:', '  logging: false'].join('\n'));
  const child = spawnMatey(['serve', '--config', config, '--workers', workers], { cwd: dir });
  children.push(child);
  let out = '';
  const collect = (text: string) => {
    out += text;
  };
  child.stderr?.setEncoding('utf8').on('data', collect);
  child.stdout?.setEncoding('utf8').on('data', collect);
  /** Resolves with the first match of `pattern` in the output (waits for it). */
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const found = pattern.exec(out);
        if (!found) return;
        child.stdout?.off('data', check);
        resolve(found);
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      check();
    });
  const started = await waitFor(/Workers: \d+ processes on (http:\/\/[\d.:]+) \(pids ([\d, ]+)\)/);
  const pids = (started[2] ?? '').split(', ').map(Number);
  return { child, url: started[1] as string, pids, waitFor, out: () => out };
}

/** One call on a connection of its own (fetch keeps connections alive, and one worker has each). */
function callAlone(url: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': 'application/json' } : {};
    const req = request(url, { method: body ? 'POST' : 'GET', agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** `matey_requests_total` as one worker's `/metrics` counts it (a new connection each time). */
async function requestsCounted(url: string): Promise<number> {
  const { text } = await callAlone(`${url}/metrics`);
  return [...text.matchAll(/^matey_requests_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('matey serve --workers', () => {
  it('serves one port from several processes, each call answered by one of them', async () => {
    const upstream = await startMockUpstream({ reply: { text: 'from a worker' } });
    open.push(upstream);
    const gateway = await serveWorkers(upstream, '2');
    expect(gateway.pids).toHaveLength(2);
    expect(gateway.pids.every(alive)).toBe(true);
    const body = JSON.stringify({ model: 'mock/mock-1', messages: [{ role: 'user', content: 'hi' }] });
    for (let i = 0; i < 21; i++) {
      expect((await callAlone(`${gateway.url}/v1/chat/completions`, body)).status).toBe(200);
    }
    // Connections are dealt out in turn: each worker counted some of the 21 (an odd number: their counts differ), and together all.
    const counts = new Set<number>();
    for (let i = 0; i < 6; i++) counts.add(await requestsCounted(gateway.url));
    const seen = [...counts].sort((a, b) => a - b);
    expect(seen.length).toBe(2);
    expect(seen.every((count) => count > 0)).toBe(true);
    expect((seen[0] ?? 0) + (seen[1] ?? 0)).toBe(21);
    expect(gateway.out()).toContain('rate limits, budgets, stored responses and caches are per worker');
    gateway.child.kill('SIGTERM');
    expect(await new Promise((resolve) => gateway.child.once('exit', resolve))).toBe(0);
  }, 60_000);

  it('on SIGHUP replaces every worker without cutting a stream in flight', async () => {
    // 30 chunks 100 ms apart: the stream outlives the reload.
    const upstream = await startMockUpstream({
      reply: {
        text: Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '),
        chunkCount: 30,
        chunkDelayMs: 100,
      },
    });
    open.push(upstream);
    const gateway = await serveWorkers(upstream, '2');
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'mock/mock-1',
      stream: true,
      messages: [{ role: 'user', content: 'a long answer' }],
    });
    const iterator = stream[Symbol.asyncIterator]();
    let text = (await iterator.next()).value?.choices[0]?.delta.content ?? '';
    gateway.child.kill('SIGHUP');
    let finish: string | null | undefined;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      text += next.value.choices[0]?.delta.content ?? '';
      finish = next.value.choices[0]?.finish_reason ?? finish;
    }
    expect(text.trim().split(/\s+/)).toHaveLength(30);
    expect(finish).toBe('stop');
    const reloaded = await gateway.waitFor(/reloaded: workers ([\d, ]+) → ([\d, ]+)/);
    const fresh = (reloaded[2] ?? '').split(', ').map(Number);
    expect(fresh).toHaveLength(2);
    expect(fresh.some((pid) => gateway.pids.includes(pid))).toBe(false);
    const reply = await client.chat.completions.create({
      model: 'mock/mock-1',
      messages: [{ role: 'user', content: 'after the reload' }],
    });
    expect(reply.choices[0]?.message.content).toContain('w29');
    // The old workers leave once their calls are done.
    await expect.poll(() => gateway.pids.some(alive), { timeout: 20_000 }).toBe(false);
    gateway.child.kill('SIGTERM');
    expect(await new Promise((resolve) => gateway.child.once('exit', resolve))).toBe(0);
    expect(fresh.some(alive)).toBe(false);
  }, 90_000);

  it('starts another worker in place of one that died', async () => {
    const upstream = await startMockUpstream({ reply: { text: 'still here' } });
    open.push(upstream);
    const gateway = await serveWorkers(upstream, '2');
    const [victim] = gateway.pids;
    process.kill(victim ?? 0, 'SIGKILL');
    await gateway.waitFor(new RegExp(`worker ${victim} exited \\(SIGKILL\\): starting another`));
    const replaced = await gateway.waitFor(new RegExp(`worker ${victim} replaced by (\\d+)`));
    expect(alive(Number(replaced[1]))).toBe(true);
    const body = JSON.stringify({ model: 'mock/mock-1', messages: [{ role: 'user', content: 'hi' }] });
    for (let i = 0; i < 4; i++) {
      expect((await callAlone(`${gateway.url}/v1/chat/completions`, body)).status).toBe(200);
    }
    gateway.child.kill('SIGTERM');
    expect(await new Promise((resolve) => gateway.child.once('exit', resolve))).toBe(0);
  }, 60_000);
});
