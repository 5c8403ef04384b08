import { startChatApp } from './server.ts';

// Runs the chat page against the offline demo fleet: `pnpm --filter @ai.matey/ws-chat start`.
const app = await startChatApp({
  port: Number(process.env.PORT ?? 8788),
  host: process.env.HOST ?? '127.0.0.1',
});
console.log(`ai.matey WebSocket chat: ${app.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
