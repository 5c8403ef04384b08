import { once } from 'node:events';
import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readChunks } from './read-chunks.ts';

describe('readChunks', () => {
  it('reads a body sent in several pieces, in order, to its end', async () => {
    const source = new PassThrough();
    const reading = readChunks(source, 1024);
    source.write('{"a":');
    source.write('1}');
    source.end();
    const { chunks, size, overLimit } = await reading;
    expect(Buffer.concat(chunks).toString()).toBe('{"a":1}');
    expect(size).toBe(7);
    expect(overLimit).toBe(false);
    expect(source.listenerCount('data')).toBe(0);
  });

  it('stops at the limit and says so, leaving the rest to the caller', async () => {
    const source = new PassThrough();
    const reading = readChunks(source, 4);
    source.write('abc');
    source.write('defgh');
    const { chunks, overLimit } = await reading;
    expect(overLimit).toBe(true);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
    expect(source.listenerCount('error')).toBe(0);
  });

  it('rejects with the stream error', async () => {
    const source = new PassThrough();
    const reading = readChunks(source, 1024);
    source.destroy(new Error('socket hang up'));
    await expect(reading).rejects.toThrow('socket hang up');
  });

  it('rejects when a client goes away in the middle of its request body, and on a closed stream', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const arrived = once(server, 'request') as Promise<[IncomingMessage]>;
    const client = request({ port, method: 'POST', headers: { 'content-length': '100' } });
    client.on('error', () => {});
    client.write('{"partial":');
    const [incoming] = await arrived;
    const reading = readChunks(incoming, 1024);
    client.destroy();
    await expect(reading).rejects.toThrow();
    await expect(readChunks(incoming, 1024)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    server.close();
  });
});
