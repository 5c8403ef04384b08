import { runAutocannon } from '../load/autocannon-run.ts';
import { runClosedLoop } from '../load/closed-loop.ts';
import { type HttpTarget, openaiTarget } from '../load/request-bodies.ts';
import { timeStreams } from '../load/stream-client.ts';
import { ChildServer, UsageMeter } from '../processes/child-server.ts';
import { type ScenarioContext, settle } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

/** One path's figures, all from this run. */
export interface PeerRun {
  name: string;
  /** 50 connections, closed loop, non-streamed. */
  requestsPerSecond: number;
  /** CPU of the server process per request at 50 connections (µs); the mock's not included. */
  cpuUsPerRequest: number | undefined;
  /** One connection, one request at a time (ms, absolute). */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** 100-chunk stream written at once by the mock: first body byte (ms, absolute, p50); none when every stream failed. */
  firstByteP50Ms: number | undefined;
  errors: number;
}

export interface PeersResult {
  connections: number;
  durationSeconds: number;
  runs: PeerRun[];
}

/**
 * The gateway beside the peers of the anchors, in one run on this machine: Portkey's
 * open-source gateway (1.15, Hono on Node) and a minimal Node gateway calling the mock through the
 * official `openai` SDK, with direct and the floor proxy as the baselines. Each gets the same
 * three measurements: throughput at 50 connections, latency at one, and a 100-chunk stream's first byte.
 */
export async function runPeers(context: ScenarioContext): Promise<PeersResult> {
  const topology = await context.topology();
  const mock = topology.mock;
  const [portkey, sdk] = await Promise.all([
    ChildServer.start({ name: 'portkey', script: 'portkey-server.ts' }),
    ChildServer.start({
      name: 'openai-sdk',
      script: 'sdk-gateway-server.ts',
      args: [`--upstream=${mock.url}`],
    }),
  ]);
  const portkeyHeaders = {
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': `${mock.url}/v1`,
  };
  const paths: Array<{ name: string; server: ChildServer; target: (stream: boolean) => HttpTarget }> = [
    {
      name: 'direct',
      server: mock,
      target: (stream) => openaiTarget('direct', mock.url, 'gpt-4o-mini', stream),
    },
    {
      name: 'floor',
      server: topology.floor,
      target: (s) => openaiTarget('floor', topology.floor.url, 'gpt-4o-mini', s),
    },
    {
      name: 'gateway',
      server: topology.gateway,
      target: (stream) => openaiTarget('gateway', topology.gateway.url, 'gpt-4o-mini', stream),
    },
    {
      name: 'portkey',
      server: portkey,
      target: (stream) => {
        const base = openaiTarget('portkey', portkey.url, 'gpt-4o-mini', stream);
        return { ...base, headers: { ...base.headers, ...portkeyHeaders } };
      },
    },
    {
      name: 'openai-sdk',
      server: sdk,
      target: (stream) => openaiTarget('openai-sdk', sdk.url, 'gpt-4o-mini', stream),
    },
  ];
  const connections = 50;
  const durationSeconds = context.smoke ? 3 : 5;
  const runs: PeerRun[] = [];
  try {
    for (const path of paths) {
      await topology.setReply(PLAIN_REPLY);
      const plain = path.target(false);
      await runAutocannon(plain, { connections, durationSeconds: 3 });
      await settle();
      const meter = new UsageMeter([path.server]);
      await meter.start();
      const throughput = await runAutocannon(plain, { connections, durationSeconds });
      const [usage] = await meter.stop(throughput.requests);
      await settle();
      const latency = await runClosedLoop(plain, { connections: 1, durationMs: 3000, warmupMs: 500 });
      await topology.setReply({ chunkCount: 100 });
      const streams = await timeStreams(path.target(true), { count: context.smoke ? 50 : 200, warmup: 20 });
      const run: PeerRun = {
        name: path.name,
        requestsPerSecond: throughput.requestsPerSecond,
        cpuUsPerRequest: path.name === 'direct' ? undefined : usage?.cpuUsPerRequest,
        latencyP50Ms: latency.latency.p50,
        latencyP99Ms: latency.latency.p99,
        firstByteP50Ms: streams.streams > 0 ? streams.firstByte.p50 : undefined,
        errors: throughput.errors + latency.errors + streams.errors,
      };
      runs.push(run);
      context.log(
        `peers ${run.name}: ${run.requestsPerSecond} req/s at ${connections} connections, latency p50 ${run.latencyP50Ms} ms p99 ${run.latencyP99Ms} ms, first byte p50 ${run.firstByteP50Ms ?? '(every stream failed)'} ms, errors ${run.errors}`,
      );
      await settle();
    }
  } finally {
    await topology.setReply(PLAIN_REPLY);
    await Promise.all([portkey.stop(), sdk.stop()]);
  }
  return { connections, durationSeconds, runs };
}
