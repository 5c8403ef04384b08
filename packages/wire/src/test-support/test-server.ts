import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EncodedError } from '../codec.ts';

/** A real HTTP server on an ephemeral 127.0.0.1 port, for an official client to talk to. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  baseUrl: string;
  close(): Promise<void>;
}

/** Answers one request, its body already read as text. */
export type TestServerHandler = (
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
) => void | Promise<void>;

/** Starts a server that reads each request's body, then hands the request to `handle`. */
export async function startTestServer(handle: TestServerHandler): Promise<TestServer> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    await handle(request, Buffer.concat(chunks).toString('utf8'), response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Answers with a codec's encoded error: its status, its headers and its JSON body. */
export function sendEncodedError(response: ServerResponse, encoded: EncodedError): void {
  response.writeHead(encoded.status, { 'content-type': 'application/json', ...encoded.headers });
  response.end(JSON.stringify(encoded.body));
}
