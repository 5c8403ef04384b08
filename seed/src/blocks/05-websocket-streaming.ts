import WebSocket, { WebSocketServer } from 'ws'; // seed edit: ESM's default export has no .Server (only the CommonJS build adds it)
import { Bridge } from 'ai.matey.core';
import { OpenAIBackendAdapter } from 'ai.matey.backend';

const wss = new WebSocketServer({ port: 0 }); // seed edit: the same class; an ephemeral port, so parallel runs never collide

// Per-client state
const clients = new Map<WebSocket, {
  id: string;
  history: any[];
  currentProvider: string;
}>();

wss.on('connection', (ws) => {
  const clientId = `client-${Date.now()}`;

  clients.set(ws, {
    id: clientId,
    history: [],
    currentProvider: 'openai'
  });

  ws.send(JSON.stringify({ type: 'welcome', clientId }));

  ws.on('message', async (data) => {
    const message = JSON.parse(data.toString());
    const client = clients.get(ws)!;

    if (message.type === 'chat') {
      // Create backend
      const backend = new OpenAIBackendAdapter({
        apiKey: process.env.OPENAI_API_KEY
      });

      const bridge = new Bridge({ backend });

      try {
        // Stream response
        for await (const chunk of bridge.stream({
          messages: [{ role: 'user', content: message.content }]
        })) {
          if (ws.readyState === WebSocket.OPEN) {
            ws.send(JSON.stringify({
              type: 'chunk',
              data: chunk
            }));
          }
        }

        // Done
        ws.send(JSON.stringify({ type: 'done' }));

        // Save to history
        client.history.push({
          role: 'user',
          content: message.content,
          timestamp: new Date().toISOString()
        });
      } catch (error) {
        ws.send(JSON.stringify({
          type: 'error',
          error: (error as Error).message // seed edit: strict mode types a catch variable `unknown`
        }));
      }
    }

    if (message.type === 'switch_provider') {
      client.currentProvider = message.provider;
      ws.send(JSON.stringify({
        type: 'provider_switched',
        provider: message.provider
      }));
    }
  });

  ws.on('close', () => {
    clients.delete(ws);
  });
});

// seed edit: exported for the test
export { clients, wss };
