// Child process: the floor. A plain node:http reverse proxy with a keep-alive pool, the least
// any Node gateway must do (parse a request, open or reuse an upstream socket, pipe both ways);
// and, on `/v1/ws`, the least a WebSocket chat relay must do (floor-ws-relay.ts).
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { argValue, serveChildIpc } from './child-ipc.ts';
import { attachFloorWebSocketRelay } from './floor-ws-relay.ts';

const upstream = new URL(argValue('upstream') ?? 'http://127.0.0.1:1');
// 2,048 like the gateway's pool: the 1,000-socket WebSocket run holds one upstream stream a socket.
const agent = new Agent({ keepAlive: true, maxSockets: 2048, keepAliveMsecs: 30_000 });

const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
  const outgoing = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream.host },
      agent,
    },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    },
  );
  outgoing.setNoDelay(true);
  outgoing.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  req.pipe(outgoing);
});
server.keepAliveTimeout = 65_000;
const relay = attachFloorWebSocketRelay(server, upstream, agent);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveChildIpc(`http://127.0.0.1:${port}`, {}, async () => {
    for (const client of relay.clients) client.terminate();
    relay.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    agent.destroy();
  });
});
