import WebSocket from 'ws';
import { type ChildServer, type ProcessUsage, round, UsageMeter } from '../processes/child-server.ts';
import { type LatencySummary, SampleBuffer, summarize } from '../stats/percentiles.ts';
import { type ScenarioContext, settle } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

export interface WebSocketPhase {
  name: string;
  /** The mock's pacing for this phase's chats (0 chunks: no chats, pings only). */
  chunksPerChat: number;
  chunkDelayMs: number;
  seconds: number;
  /** Round trip of `ping` → `pong` frames of the chat protocol (ms). */
  pingPong: LatencySummary;
  /** `chunk` messages received per second, all sockets together. */
  chunksPerSecond: number;
  chatsCompleted: number;
  errors: number;
  usage: ProcessUsage[];
}

export interface WebSocketResult {
  sockets: number;
  connected: number;
  connectSeconds: number;
  /** The gateway: idle (pings only), then every socket streaming at a light and at a heavy chunk rate. */
  phases: WebSocketPhase[];
  gatewayPeakRssMb: number;
  /**
   * The same phases through the floor: a bare `ws` relay in the floor process that forwards each
   * upstream SSE line as a frame (bench/src/servers/floor-ws-relay.ts). What any Node relay pays.
   */
  floor?: { connected: number; phases: WebSocketPhase[] };
}

interface SocketsRun {
  connected: number;
  connectSeconds: number;
  phases: WebSocketPhase[];
}

interface Client {
  socket: WebSocket;
  nextChat: number;
}

/**
 * 1,000 WebSocket clients on `/v1/ws`, first of the floor relay, then of the gateway: idle
 * (ping/pong only), then each socket streaming one chat after another from the mock upstream,
 * with a ping a second per socket (spread over the second). Reports ping/pong percentiles, the
 * aggregate chunk rate, and each process's CPU and event-loop delay.
 */
export async function runWebSocket(context: ScenarioContext): Promise<WebSocketResult> {
  const topology = await context.topology();
  const sockets = context.smoke ? 100 : 1000;
  const floor = await runSockets(context, topology.floor, sockets);
  await settle(2000);
  const gateway = await runSockets(context, topology.gateway, sockets);
  const gatewayStats = await topology.gateway.stats();
  await topology.setReply(PLAIN_REPLY);
  return {
    sockets,
    connected: gateway.connected,
    connectSeconds: gateway.connectSeconds,
    phases: gateway.phases,
    gatewayPeakRssMb: round(gatewayStats.peakRssBytes / (1024 * 1024), 1),
    floor: { connected: floor.connected, phases: floor.phases },
  };
}

/** Opens `sockets` clients on one server's `/v1/ws` and runs the phases through it. */
async function runSockets(
  context: ScenarioContext,
  server: ChildServer,
  sockets: number,
): Promise<SocketsRun> {
  const topology = await context.topology();
  const phaseSeconds = context.smoke ? 3 : 12;
  const url = `${server.url.replace(/^http/, 'ws')}/v1/ws`;

  const connectStarted = performance.now();
  const clients: Client[] = [];
  for (let batch = 0; batch < sockets; batch += 100) {
    const opened = await Promise.allSettled(
      Array.from({ length: Math.min(100, sockets - batch) }, () => connect(url)),
    );
    for (const outcome of opened) if (outcome.status === 'fulfilled') clients.push(outcome.value);
  }
  const connectSeconds = round((performance.now() - connectStarted) / 1000, 2);
  context.log(`websocket ${server.name}: ${clients.length}/${sockets} connected in ${connectSeconds} s`);

  const meter = new UsageMeter([server, topology.mock]);
  let streaming = false;
  let chunks = 0;
  let completed = 0;
  let errors = 0;
  let pongs = new SampleBuffer();
  const startChat = (client: Client) => {
    const id = `chat-${client.nextChat++}`;
    client.socket.send(
      JSON.stringify({
        type: 'chat',
        id,
        messages: [{ role: 'user', content: 'Say hello in one sentence.' }],
      }),
    );
  };
  for (const client of clients) {
    client.socket.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; ts?: number };
      if (message.type === 'chunk') chunks++;
      else if (message.type === 'pong' && message.ts !== undefined)
        pongs.push(performance.now() - message.ts);
      else if (message.type === 'done') {
        completed++;
        if (streaming) startChat(client);
      } else if (message.type === 'error') {
        errors++;
        if (streaming) startChat(client);
      }
    });
  }
  // Each socket pings once a second, the sockets spread evenly over the second.
  const pinger = setInterval(() => {
    const now = performance.now();
    const slot = Math.floor(now / 10) % 100;
    for (let i = slot; i < clients.length; i += 100) {
      const client = clients[i];
      if (client?.socket.readyState === WebSocket.OPEN)
        client.socket.send(JSON.stringify({ type: 'ping', ts: performance.now() }));
    }
  }, 10);

  const phase = async (
    name: string,
    chunksPerChat: number,
    chunkDelayMs: number,
  ): Promise<WebSocketPhase> => {
    if (chunksPerChat > 0) await topology.setReply({ chunkCount: chunksPerChat, chunkDelayMs });
    streaming = chunksPerChat > 0;
    // Chats already running go on; the others start spread over one chat's length, so the
    // sockets do not stream in lockstep (1,000 chunks landing in the same millisecond).
    const spreadMs = chunksPerChat * chunkDelayMs;
    clients.forEach((client, i) => {
      if (!streaming || client.nextChat !== 0) return;
      client.nextChat = 1;
      setTimeout(() => startChat(client), (i / clients.length) * spreadMs);
    });
    // Long enough for the previous phase's chats (up to 4 s) to finish.
    await settle(streaming ? 5000 : 2000);
    pongs = new SampleBuffer();
    chunks = 0;
    completed = 0;
    errors = 0;
    await meter.start();
    const started = performance.now();
    await settle(phaseSeconds * 1000);
    const seconds = (performance.now() - started) / 1000;
    const result: WebSocketPhase = {
      name,
      chunksPerChat,
      chunkDelayMs,
      seconds: round(seconds, 1),
      pingPong: summarize(pongs.values()),
      chunksPerSecond: Math.round(chunks / seconds),
      chatsCompleted: completed,
      errors,
      usage: await meter.stop(),
    };
    const loops = result.usage.map((usage) => `${usage.name} ${usage.loopDelay?.p99Ms ?? '?'}`).join(', ');
    const cpu = result.usage.map((usage) => `${usage.name} ${Math.round(usage.cpuMs / seconds / 10)}%`);
    context.log(
      `websocket ${server.name} ${name}: ${result.chunksPerSecond} chunks/s, ping p50 ${result.pingPong.p50} ms, p99 ${result.pingPong.p99} ms; loop delay p99 (ms): ${loops}; CPU: ${cpu.join(', ')}`,
    );
    return result;
  };

  const phases = [await phase('idle', 0, 0)];
  // Light: 10 chunks 400 ms apart (2.5 chunks/s a socket). Heavy: the seed's rate, about 19 chunks/s a socket.
  phases.push(await phase('streaming, light', 10, 400));
  if (!context.smoke) phases.push(await phase('streaming, heavy', 20, 50));
  streaming = false;
  clearInterval(pinger);
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          client.socket.once('close', () => resolve());
          client.socket.close();
          setTimeout(resolve, 2000).unref();
        }),
    ),
  );
  return { connected: clients.length, connectSeconds, phases };
}

/** Opens a socket and waits for the server's welcome. */
function connect(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('no welcome within 10 s'));
    }, 10_000);
    socket.once('message', () => {
      clearTimeout(timer);
      resolve({ socket, nextChat: 0 });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
