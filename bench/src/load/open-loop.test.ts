import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpenLoop } from './open-loop.ts';

let server: Server | undefined;

async function serve(delayMs: number, status = 200): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(status).end('{}'), delayMs));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const target = (origin: string) => ({ name: 't', origin, path: '/', headers: {}, body: '{}' });

describe('runOpenLoop', () => {
  it('sends exactly rate × duration requests and counts only those after the warm-up', async () => {
    const origin = await serve(0);
    const result = await runOpenLoop(target(origin), { rate: 200, durationMs: 400, warmupMs: 100 });
    expect(result.sent).toBe(100);
    expect(result.completed).toBe(80);
    expect(result.latency.count).toBe(80);
    expect(result.errors + result.non2xx).toBe(0);
  });

  it('does not wait for slow replies before sending the next request (no coordinated omission)', async () => {
    // Each reply takes 100 ms and only two sockets are allowed: a closed loop would send ~4
    // requests in 200 ms; the open loop still sends all 20, and their waiting shows as latency
    // (the last, due at 190 ms, cannot be answered before 10 rounds of 100 ms: ≥ 810 ms late).
    const origin = await serve(100);
    const result = await runOpenLoop(target(origin), { rate: 100, durationMs: 200, connections: 2 });
    expect(result.sent).toBe(20);
    expect(result.completed).toBe(20);
    expect(result.latency.min).toBeGreaterThanOrEqual(100);
    expect(result.latency.max).toBeGreaterThanOrEqual(800);
  });

  it('counts non-2xx replies apart from successes', async () => {
    const origin = await serve(0, 429);
    const result = await runOpenLoop(target(origin), { rate: 100, durationMs: 100 });
    expect(result.non2xx).toBe(10);
    expect(result.completed).toBe(0);
  });
});
