// The WebSocket floor: the least a Node WebSocket chat relay must do, on `ws` and node:http,
// speaking just enough of the gateway's `/v1/ws` protocol for the bench (welcome, ping → pong,
// chat → chunk* → done). Each upstream SSE `data:` line goes out as one `chunk` frame, unparsed.
import { type Agent, request, type Server } from 'node:http';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

interface ChatMessage {
  type: 'chat';
  id: string;
  messages: unknown[];
}

/** Serves the relay on `/v1/ws` of `server`, calling the mock's OpenAI route for each chat. */
export function attachFloorWebSocketRelay(server: Server, upstream: URL, agent: Agent): WebSocketServer {
  const wss = new WebSocketServer({ server, path: '/v1/ws' });
  let clients = 0;
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'welcome', clientId: `floor-${++clients}` }));
    socket.on('message', (data: RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; ts?: number };
      if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong', ts: message.ts }));
      else if (message.type === 'chat') relayChat(socket, message as ChatMessage, upstream, agent);
    });
  });
  return wss;
}

function relayChat(socket: WebSocket, chat: ChatMessage, upstream: URL, agent: Agent): void {
  const id = JSON.stringify(chat.id);
  const body = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: chat.messages });
  const outgoing = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      agent,
    },
    (reply) => {
      let buffered = '';
      reply.setEncoding('utf8');
      reply.on('data', (text: string) => {
        buffered += text;
        let end = buffered.indexOf('\n\n');
        while (end !== -1) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf('\n\n');
          if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
          socket.send(`{"type":"chunk","id":${id},"data":${line.slice(6)}}`);
        }
      });
      reply.on('end', () => socket.send(`{"type":"done","id":${id}}`));
    },
  );
  outgoing.on('error', () => socket.send(`{"type":"error","id":${id}}`));
  outgoing.end(body);
}
