/** Test support for the security suite: a raw TCP client that writes what it likes, when it likes. */
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves with what was received once the server closes the connection (or rejects after `ms`). */
  closed(ms: number): Promise<string>;
}

/** Opens a TCP connection to a `http://host:port` URL. */
export function openRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let text = '';
    let ended = false;
    const waiters: Array<() => void> = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      ended = true;
      for (const wake of waiters) wake();
    });
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => text,
        closed: (ms) =>
          new Promise((done, fail) => {
            if (ended) return done(text);
            const timer = setTimeout(() => fail(new Error(`still open after ${ms} ms: ${text}`)), ms);
            waiters.push(() => {
              clearTimeout(timer);
              done(text);
            });
          }),
      }),
    );
    socket.once('error', reject);
  });
}

/** The JSON body of a raw HTTP/1.1 response (chunked or not). */
export function rawJsonBody(response: string): unknown {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  if (!/transfer-encoding: chunked/i.test(head)) return JSON.parse(body);
  let text = '';
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!size) break;
    text += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
  return JSON.parse(text);
}
