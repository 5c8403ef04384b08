import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bridge, Router } from 'ai.matey.core';
import { attachWebSocketGateway } from 'ai.matey.http/websocket';
import { FLEET_PROVIDERS, type FleetProvider } from './fleet-backends.ts';
import type { PatternContext, PatternOutcome } from './pattern-result.ts';
import { formatMs, percentile } from './stats.ts';
import { formatTable } from './text-table.ts';
import { GatewayClient } from './ws-client.ts';

/** One client's provider: the first stays on the default, the others switch as the seed's test did. */
const CLIENT_PROVIDERS: FleetProvider[] = ['openai', 'groq', 'anthropic'];

export interface StreamMeasurement {
  client: string;
  provider: string;
  chunks: number;
  textChunks: number;
  /** Time from sending `chat` to the first chunk. */
  firstChunkMs: number;
  /** Text chunks per second between the first and the last one. */
  chunksPerSecond: number;
  totalMs: number;
}

export interface WebSocketStreamingResult extends PatternOutcome {
  clients: number;
  pings: number;
  pongs: number;
  rttP50Ms: number;
  rttP99Ms: number;
  streams: StreamMeasurement[];
  /** Median chunks/s over every stream, at the run's time scale. */
  chunksPerSecond: number;
  /** The second chat of each client carried the first exchange (history kept per client). */
  historyKept: boolean;
  providerSwitches: number;
}

/**
 * Pattern 5: `attachWebSocketGateway` over a Bridge on the fleet, with a few concurrent clients
 * on the seed's protocol: ping/pong round trips, a provider switch, and two streamed chats each
 * (the second relying on the per-client history).
 */
export async function runWebSocketStreaming(context: PatternContext): Promise<WebSocketStreamingResult> {
  const { fleet, backends } = context.clean;
  const router = new Router({ defaultBackend: 'openai' });
  for (const name of FLEET_PROVIDERS) router.register(name, backends[name]);
  const server = createServer((_request, response) => response.writeHead(404).end());
  const gateway = attachWebSocketGateway(server, { bridge: new Bridge({ backend: router }), router });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ws`;
  const pingsPerClient = context.quick ? 20 : 50;
  const clients: GatewayClient[] = [];
  try {
    const runs = await Promise.all(
      CLIENT_PROVIDERS.map(async (provider, index) => {
        const { client } = await GatewayClient.connect(url);
        clients.push(client);
        const rtts: number[] = [];
        for (let i = 0; i < pingsPerClient; i++) {
          const sent = performance.now();
          const pong = await client.request({ type: 'ping', ts: i }, (m) => m.type === 'pong' && m.ts === i);
          rtts.push(pong.at - sent);
        }
        let switched = false;
        if (provider !== 'openai') {
          const answer = await client.request(
            { type: 'switch_provider', provider },
            (m) => m.type !== 'pong',
          );
          switched = answer.message.type === 'provider_switched';
        }
        const streams: StreamMeasurement[] = [];
        for (const [turn, content] of [
          'Tell me about WebSockets.',
          'And how do they compare with SSE?',
        ].entries()) {
          streams.push(await streamChat(client, `client-${index + 1}`, `c${index}-t${turn}`, content));
        }
        const last = fleet.get(provider)?.upstream.requests.at(-1)?.request?.messages.length ?? 0;
        return { rtts, streams, switched, historyKept: last === 3 };
      }),
    );
    const rtts = runs.flatMap((run) => run.rtts);
    const streams = runs.flatMap((run) => run.streams);
    const rate = percentile(
      streams.map((s) => s.chunksPerSecond),
      50,
    );
    const rttP50Ms = percentile(rtts, 50);
    const rttP99Ms = percentile(rtts, 99);
    const historyKept = runs.every((run) => run.historyKept);
    const providerSwitches = runs.filter((run) => run.switched).length;
    const realRate = rate * context.timeScale;
    return {
      clients: runs.length,
      pings: runs.length * pingsPerClient,
      pongs: rtts.length,
      rttP50Ms,
      rttP99Ms,
      streams,
      chunksPerSecond: rate,
      historyKept,
      providerSwitches,
      details: [
        formatTable(
          ['client', 'provider', 'chunks', 'first chunk', 'chunks/s', 'total'],
          streams.map((s) => [
            s.client,
            s.provider,
            String(s.chunks),
            formatMs(s.firstChunkMs),
            s.chunksPerSecond.toFixed(0),
            formatMs(s.totalMs),
          ]),
          { alignRight: [2, 3, 4, 5] },
        ),
        `Ping/pong: ${rtts.length} round trips from ${runs.length} concurrent clients, p50 ${formatMs(rttP50Ms)}, ` +
          `p99 ${formatMs(rttP99Ms)} (a local socket: time scale does not apply).`,
        `Streaming: median ${rate.toFixed(0)} text chunks/s per stream at time scale ${context.timeScale}; ` +
          `the rate follows the simulated providers' tokens/s, so at real speed it would be ≈ ${realRate.toFixed(0)}/s (a linear estimate).`,
        `${providerSwitches} provider switches acknowledged; second chats ${historyKept ? 'carried' : 'did NOT carry'} the first exchange (per-client history).`,
      ],
      summary: {
        ran: `WS gateway over a Bridge; ${runs.length} concurrent clients, ${pingsPerClient} pings + 2 chats each`,
        measured:
          `ping/pong p50 ${formatMs(rttP50Ms)}, p99 ${formatMs(rttP99Ms)}; ${rate.toFixed(0)} chunks/s per stream ` +
          `(≈ ${realRate.toFixed(0)}/s at real speed); ${providerSwitches} switches, history ${historyKept ? 'kept' : 'lost'}`,
        ok:
          rtts.length === runs.length * pingsPerClient &&
          streams.every((s) => s.textChunks > 0) &&
          historyKept &&
          providerSwitches === CLIENT_PROVIDERS.length - 1,
      },
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await gateway.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function streamChat(
  client: GatewayClient,
  name: string,
  id: string,
  content: string,
): Promise<StreamMeasurement> {
  const sent = performance.now();
  const from = client.received.length;
  const done = await client.request(
    { type: 'chat', id, content },
    (m) => (m.type === 'done' || m.type === 'error') && m.id === id,
  );
  if (done.message.type !== 'done') throw new Error(`Chat ${id} failed: ${JSON.stringify(done.message)}`);
  const chunks = client.received.slice(from).filter((r) => r.message.type === 'chunk' && r.message.id === id);
  const text = chunks.filter((r) => r.message.type === 'chunk' && r.message.data.type === 'text-delta');
  const first = text[0]?.at ?? done.at;
  const last = text.at(-1)?.at ?? done.at;
  const spanS = (last - first) / 1000;
  return {
    client: name,
    provider: done.message.provider,
    chunks: chunks.length,
    textChunks: text.length,
    firstChunkMs: (chunks[0]?.at ?? done.at) - sent,
    chunksPerSecond: spanS > 0 ? (text.length - 1) / spanS : 0,
    totalMs: done.at - sent,
  };
}
