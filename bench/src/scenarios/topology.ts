import { ChildServer } from '../processes/child-server.ts';
import type { MockUpstreamReply } from '../servers/mock-upstream-module.ts';

export interface TopologyOptions {
  /** Extra Node flags for the gateway child (`--cpu-prof`, say). */
  gatewayExecArgv?: string[];
  /** Extra Node flags for the mock upstream child. */
  mockExecArgv?: string[];
  /** Mock upstream options (JSON-serialisable). */
  mockOptions?: Record<string, unknown>;
}

/** The three servers of the HTTP scenarios, each in its own process. */
export interface Topology {
  mock: ChildServer;
  floor: ChildServer;
  gateway: ChildServer;
  all: ChildServer[];
  /** Changes what the mock answers (stream length, pacing) for the next run. */
  setReply(reply: MockUpstreamReply): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The young-generation semi-space (MB) the gateway runs with by default (`DEFAULT_SEMI_SPACE_MB` in
 * packages/gateway/src/workers/heap-flags.ts, chosen from the `memory` scenario; apps/gateway's
 * `start` passes it too). The floor proxy gets the same flags, so the comparison is between the
 * code, not the flags.
 */
export const GATEWAY_SEMI_SPACE_MB: number = 32;
export const GATEWAY_NODE_FLAGS: string[] =
  GATEWAY_SEMI_SPACE_MB === 16 ? [] : [`--max-semi-space-size=${GATEWAY_SEMI_SPACE_MB}`];

/** The reply of the non-streamed runs: a short, fixed answer. */
export const PLAIN_REPLY: MockUpstreamReply = { text: 'Hello! How can I help you today?' };

/** Starts the mock upstream, the floor proxy in front of it, and the gateway in front of it. */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const mock = await ChildServer.start({
    name: 'mock',
    script: 'mock-upstream-server.ts',
    args: [`--options=${JSON.stringify({ reply: PLAIN_REPLY, ...options.mockOptions })}`],
    execArgv: [...(options.mockExecArgv ?? []), ...flagsFromEnv('BENCH_MOCK_FLAGS')],
  });
  const [floor, gateway] = await Promise.all([
    ChildServer.start({
      name: 'floor',
      script: 'floor-proxy-server.ts',
      args: [`--upstream=${mock.url}`],
      execArgv: [...GATEWAY_NODE_FLAGS, ...flagsFromEnv('BENCH_FLOOR_FLAGS')],
    }),
    ChildServer.start({
      name: 'gateway',
      script: 'gateway-server.ts',
      args: [`--upstream=${mock.url}`],
      // The same young generation as the floor (and as apps/gateway starts with), then any extras.
      execArgv: [...GATEWAY_NODE_FLAGS, ...(options.gatewayExecArgv ?? flagsFromEnv('BENCH_GATEWAY_FLAGS'))],
    }),
  ]);
  const all = [mock, floor, gateway];
  return {
    mock,
    floor,
    gateway,
    all,
    async setReply(reply) {
      await mock.command('set-reply', reply);
    },
    async stop() {
      await Promise.all([gateway.stop(), floor.stop()]);
      await mock.stop();
    },
  };
}

/**
 * Extra Node flags for one child from the environment, for investigations
 * (`BENCH_GATEWAY_FLAGS='--trace-gc' pnpm bench --only websocket`).
 */
function flagsFromEnv(name: string): string[] {
  return (process.env[name] ?? '').split(' ').filter(Boolean);
}
