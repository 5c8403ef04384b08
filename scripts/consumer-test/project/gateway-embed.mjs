// A user's program with ai.matey.gateway and ai.matey.http alone: the gateway built from a config
// object and served on an ephemeral port. With a URL (the mock upstream) as the argument, one
// provider there; without, no provider and no key, so it needs the simulated fleet.

import { createGatewayFromConfig } from 'ai.matey.gateway';
import { serveGateway } from 'ai.matey.http';

const upstream = process.argv[2];
const providers = upstream
  ? {
      mock: {
        type: 'openai-compatible',
        baseURL: `${upstream}/v1`,
        apiKey: 'consumer-test-key',
        models: ['mock-model'],
      },
    }
  : {};
// With an admin key (a test's, the second argument), the dashboard too: its page and uPlot are
// served from the installed package.
const env = process.argv[3] ? { MATEY_ADMIN_KEY: process.argv[3] } : {};
const built = await createGatewayFromConfig({ providers, middleware: { logging: false } }, { env });
const server = await serveGateway(built.gateway, { port: 0 });
console.log(`embedded gateway on ${server.url}`);
process.once('SIGTERM', async () => {
  await server.close();
  await built.close();
});
