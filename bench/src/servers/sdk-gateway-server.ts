// Child process: the minimal Node gateway of the anchors: node:http in front of the
// official `openai` SDK, which calls the mock (JSON replies as they come, streams as SSE).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { argValue, serveChildIpc } from './child-ipc.ts';

const client = new OpenAI({ apiKey: 'bench', baseURL: `${argValue('upstream') ?? 'http://127.0.0.1:1'}/v1` });

const server = createServer({ keepAlive: true, noDelay: true }, async (req, res) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletionCreateParamsBase;
    if (body.stream) {
      const stream = await client.chat.completions.create({ ...body, stream: true });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for await (const chunk of stream) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end('data: [DONE]\n\n');
    } else {
      const reply = JSON.stringify(await client.chat.completions.create({ ...body, stream: false }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(reply);
    }
  } catch (error) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: String(error) } }));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveChildIpc(`http://127.0.0.1:${port}`, {}, async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});
