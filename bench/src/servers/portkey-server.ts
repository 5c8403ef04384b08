// Child process: Portkey's open-source gateway (@portkey-ai/gateway 1.15, Hono on Node), run as
// its `start-server.js` runs it, on a free port. Requests name the mock as an OpenAI custom host
// (`x-portkey-provider: openai`, `x-portkey-custom-host: <mock>/v1`); 127.0.0.1 is a trusted host.
import { createServer } from 'node:net';
import { serveChildIpc } from './child-ipc.ts';

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
// Its start-up banner, spinner and console.clear would interleave with the bench's log.
process.stdout.write = () => true;
console.clear = () => {};
// Its per-request error logs too (a streamed reply fails on Node 22: see the bench's peers section).
console.error = () => {};
console.log = () => {};
process.argv.push(`--port=${port}`, '--headless');
process.env.NODE_ENV = 'production';
// Its bin, which starts the server when loaded (the package ships no types).
const entry = '@portkey-ai/gateway/build/start-server.js';
await import(entry);
await waitForPort(port);
serveChildIpc(`http://127.0.0.1:${port}`, {}, async () => {});

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`portkey did not listen on ${port}`);
}
