import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AiMateyError, TimeoutError } from 'ai.matey.core';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport, type TransportRequest } from './http-transport.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
const transports: HttpTransport[] = [];

async function serve(
  handler: Handler,
): Promise<{ origin: string; connections: () => number; server: Server }> {
  const server = createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, connections: () => connections, server };
}

function transport(options: ConstructorParameters<typeof HttpTransport>[0] = {}): HttpTransport {
  const created = new HttpTransport(options);
  transports.push(created);
  return created;
}

function get(origin: string, extra: Partial<TransportRequest> = {}): TransportRequest {
  return { origin, path: '/x', method: 'GET', headers: {}, provider: 'acme', ...extra };
}

async function caught(promise: Promise<unknown>): Promise<AiMateyError> {
  try {
    await promise;
  } catch (error) {
    if (AiMateyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  for (const server of servers.splice(0)) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('HttpTransport', () => {
  it('reuses keep-alive connections for sequential calls to the same origin', async () => {
    const { origin, connections } = await serve((_req, res) => res.end('{"ok":true}'));
    const http = transport();
    for (let i = 0; i < 6; i++) {
      const response = await http.request(get(origin));
      expect(await http.readJson(response, 'acme')).toEqual({ ok: true });
    }
    // The pool may open a second socket while the first is being released; never one per call.
    expect(connections()).toBeLessThanOrEqual(2);
  });

  it('sends method, headers and body as given', async () => {
    let seen: { method?: string; auth?: string; body: string } = { body: '' };
    const { origin } = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen = { method: req.method, auth: req.headers.authorization, body };
        res.end('{}');
      });
    });
    const http = transport();
    const response = await http.request({
      ...get(origin, { method: 'POST', body: '{"a":1}' }),
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
    });
    await http.readJson(response, 'acme');
    expect(seen).toEqual({ method: 'POST', auth: 'Bearer k', body: '{"a":1}' });
  });

  it('yields body chunks as they arrive, without waiting for the whole reply', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const { origin } = await serve((_req, res) => {
      res.write('first');
      void released.then(() => res.end('second'));
    });
    const http = transport();
    const response = await http.request(get(origin));
    const seen: string[] = [];
    for await (const chunk of response.body) {
      seen.push(Buffer.from(chunk).toString());
      release();
    }
    expect(seen).toEqual(['first', 'second']);
  });

  it('closes the socket when the signal aborts mid-body, so the upstream sees the client leave', async () => {
    let upstreamSawClose: Promise<void> = Promise.resolve();
    const { origin } = await serve((req, res) => {
      upstreamSawClose = new Promise((resolve) => req.socket.on('close', () => resolve()));
      res.write('partial');
    });
    const http = transport();
    const controller = new AbortController();
    const response = await http.request(get(origin, { signal: controller.signal }));
    const reading = caught(http.readBytes(response, 'acme', controller.signal));
    controller.abort();
    const error = await reading;
    expect(error.kind).toBe('cancelled');
    expect(error.provider).toBe('acme');
    await upstreamSawClose;
  });

  it('rethrows an AiMateyError given as the abort reason (a timeout middleware, say)', async () => {
    const { origin } = await serve(() => {});
    const controller = new AbortController();
    const pending = caught(transport().request(get(origin, { signal: controller.signal })));
    controller.abort(new TimeoutError({ message: 'call budget spent', provider: 'acme' }));
    const error = await pending;
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('call budget spent');
  });

  it('maps a hanging upstream to a first-byte TimeoutError', async () => {
    const { origin } = await serve(() => {});
    const error = await caught(transport({ headersTimeoutMs: 150 }).request(get(origin)));
    expect(error).toMatchObject({ kind: 'timeout', code: 'first_byte_timeout', provider: 'acme' });
  });

  it('maps a reply that goes quiet mid-body to an idle TimeoutError', async () => {
    const { origin } = await serve((_req, res) => res.write('{"partial":'));
    const http = transport({ bodyTimeoutMs: 150 });
    const response = await http.request(get(origin));
    const error = await caught(http.readJson(response, 'acme'));
    expect(error).toMatchObject({ kind: 'timeout', code: 'idle_timeout', provider: 'acme' });
  });

  it('maps a refused connection to a NetworkError', async () => {
    const { origin, server } = await serve(() => {});
    await new Promise((resolve) => server.close(resolve));
    const error = await caught(transport().request(get(origin)));
    expect(error).toMatchObject({
      kind: 'network',
      code: 'connection_refused',
      provider: 'acme',
      isRetryable: true,
    });
  });

  it('maps a socket cut mid-body to a NetworkError', async () => {
    const { origin } = await serve((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"cut":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const http = transport();
    const response = await http.request(get(origin));
    const error = await caught(http.readJson(response, 'acme'));
    expect(error).toMatchObject({ kind: 'network', provider: 'acme' });
  });

  it('refuses a reply larger than maxResponseBytes, by declared length and by bytes read', async () => {
    const big = 'x'.repeat(5000);
    const { origin } = await serve((req, res) => {
      if (req.url === '/declared') return res.end(big);
      res.write(big.slice(0, 2500));
      setTimeout(() => res.end(big.slice(2500)), 10);
    });
    const http = transport({ maxResponseBytes: 4096 });
    for (const path of ['/declared', '/chunked']) {
      const response = await http.request(get(origin, { path }));
      const error = await caught(http.readJson(response, 'acme'));
      expect(error).toMatchObject({ kind: 'upstream-server', code: 'response_too_large', provider: 'acme' });
    }
  });

  it('reads an error body as JSON when it is JSON and as text otherwise', async () => {
    const { origin } = await serve((req, res) => {
      res.statusCode = 500;
      res.end(req.url === '/json' ? '{"error":{"message":"boom"}}' : 'Bad Gateway');
    });
    const http = transport();
    const json = await http.request(get(origin, { path: '/json' }));
    expect(json.status).toBe(500);
    expect(await http.readErrorBody(json, 'acme')).toEqual({ error: { message: 'boom' } });
    const text = await http.request(get(origin, { path: '/text' }));
    expect(await http.readErrorBody(text, 'acme')).toBe('Bad Gateway');
  });

  it('reports a malformed JSON reply as an UpstreamServerError', async () => {
    const { origin } = await serve((_req, res) => res.end('<html>'));
    const http = transport();
    const error = await caught(http.readJson(await http.request(get(origin)), 'acme'));
    expect(error).toMatchObject({ kind: 'upstream-server', code: 'malformed_response' });
  });
});
