import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { anthropicMessages } from 'ai.matey.wire';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSseText, sendChat } from './mock-upstream/test-requests.ts';

const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function start(args: string[]): Promise<string> {
  child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const process_ = child;
  return new Promise((resolve, reject) => {
    let out = '';
    process_.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (url) resolve(url[0]);
    });
    let err = '';
    process_.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    process_.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
}

describe('ai-matey-mock-upstream CLI', () => {
  it('serves in the foreground with the given knobs and exits cleanly on SIGTERM', async () => {
    const url = await start([
      '--latency',
      '0',
      '--chunks',
      '5',
      '--text',
      'one two three four five six seven',
    ]);
    const res = await sendChat(url, 'anthropic-messages', { stream: true });
    const decoder = anthropicMessages.createStreamDecoder({ provider: 'anthropic' });
    const deltas = parseSseText(res.text)
      .flatMap((event) => decoder.push(event))
      .flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []));
    expect(deltas).toHaveLength(5);
    expect(deltas.join('')).toBe('one two three four five six seven');
    child?.kill('SIGTERM');
    const [code] = await once(child as ChildProcess, 'exit');
    expect(code).toBe(0);
    await expect(fetch(`${url}/v1/models`)).rejects.toThrow();
  });

  it('rejects a bad number with the usage text', async () => {
    await expect(start(['--chunks', 'many'])).rejects.toThrow(
      /--chunks wants a non-negative number[\s\S]*Usage/,
    );
  });
});
