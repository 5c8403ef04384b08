import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnMatey } from '../test-support/run-matey.ts';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `matey serve` (simulated fleet) with `server.heap.semiSpaceMb`, until `pattern` shows in its output. */
async function serveWithHeap(semiSpaceMb: number, workers: string, pattern: RegExp) {
  const dir = await mkdtemp(join(tmpdir(), 'matey-heap-'));
  const config = join(dir, 'matey.config.yaml');
  await writeFile(config, ['server:', '  port: 0', '  heap:', `    semiSpaceMb: ${semiSpaceMb}`].join('\n'));
  const child = spawnMatey(['serve', '--config', config, '--workers', workers], { cwd: dir });
  children.push(child);
  let out = '';
  return new Promise<{ match: RegExpExecArray; out: string }>((resolve, reject) => {
    const collect = (text: string) => {
      out += text;
      const match = pattern.exec(out);
      if (match) resolve({ match, out });
    };
    child.stdout?.setEncoding('utf8').on('data', collect);
    child.stderr?.setEncoding('utf8').on('data', collect);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

describe('matey serve with server.heap.semiSpaceMb', () => {
  it("starts each worker with the configured semi-space (seen in the worker's own command line)", async () => {
    const { match } = await serveWithHeap(64, '2', /Workers: 2 processes on \S+ \(pids ([\d, ]+)\)/);
    const pids = (match[1] ?? '').split(', ').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) {
      const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      expect(argv).toContain('--max-semi-space-size=64');
      expect(argv).not.toContain('--max-semi-space-size=32');
    }
  });

  it('says how to size a single process, which cannot resize its own heap', async () => {
    const { out } = await serveWithHeap(8, '1', /listening on http/);
    expect(out).toContain('NODE_OPTIONS=--max-semi-space-size=8');
  });
});
