import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bodyChunks } from './body-chunks.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (result: IteratorResult<Uint8Array>) =>
  result.done ? 'done' : new TextDecoder().decode(result.value);

describe('bodyChunks', () => {
  it('reads chunk by chunk, pausing the body until the next is asked for, then the end', async () => {
    const body = new PassThrough();
    const chunks = bodyChunks(body);
    body.write(bytes('a'));
    body.write(bytes('b'));
    expect(text(await chunks.next())).toBe('a');
    // Not asked for yet: the body is paused, so it holds what comes next (back-pressure).
    expect(body.isPaused()).toBe(true);
    expect(text(await chunks.next())).toBe('b');
    const pending = chunks.next();
    body.end(bytes('c'));
    expect(text(await pending)).toBe('c');
    expect(text(await chunks.next())).toBe('done');
  });

  it('rejects with the body error, and when the body closes before its end', async () => {
    const failing = new PassThrough();
    const chunks = bodyChunks(failing);
    const pending = chunks.next();
    failing.destroy(Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' }));
    await expect(pending).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });

    const closed = new PassThrough();
    const cut = bodyChunks(closed);
    closed.write(bytes('x'));
    expect(text(await cut.next())).toBe('x');
    closed.destroy();
    await expect(cut.next()).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
