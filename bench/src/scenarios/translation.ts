import { type AutocannonResult, runAutocannon } from '../load/autocannon-run.ts';
import { anthropicTarget, type HttpTarget, openaiTarget, responsesTarget } from '../load/request-bodies.ts';
import { type ProcessUsage, round, UsageMeter } from '../processes/child-server.ts';
import { type ScenarioContext, settle } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

export interface LaneRun extends AutocannonResult {
  lane: string;
  /** The caller's wire format. */
  inbound: 'openai' | 'anthropic' | 'responses';
  /** The upstream's wire format. */
  upstream: 'openai' | 'anthropic';
  /** Through the gateway, or straight to the mock (the upstream's own cost). */
  via: 'gateway' | 'direct';
  usage: ProcessUsage[];
}

export interface TranslationResult {
  connections: number;
  durationSeconds: number;
  lanes: LaneRun[];
  /** Translation lane req/s over the same-format lane with the same upstream. */
  ratios: { anthropicToOpenai: number; openaiToAnthropic: number; responsesToOpenai: number };
}

interface Lane {
  lane: string;
  inbound: LaneRun['inbound'];
  upstream: 'openai' | 'anthropic';
  via: 'gateway' | 'direct';
  target: (urls: { gateway: string; mock: string }) => HttpTarget;
}

const LANES: Lane[] = [
  {
    lane: 'OpenAI in → OpenAI upstream',
    inbound: 'openai',
    upstream: 'openai',
    via: 'gateway',
    target: (urls) => openaiTarget('openai-openai', urls.gateway, 'openai/gpt-4o-mini'),
  },
  {
    lane: 'Anthropic in → OpenAI upstream',
    inbound: 'anthropic',
    upstream: 'openai',
    via: 'gateway',
    target: (urls) => anthropicTarget('anthropic-openai', urls.gateway, 'openai/gpt-4o-mini'),
  },
  {
    lane: 'Responses in → OpenAI upstream',
    inbound: 'responses',
    upstream: 'openai',
    via: 'gateway',
    target: (urls) => responsesTarget('responses-openai', urls.gateway, 'openai/gpt-4o-mini'),
  },
  {
    lane: 'Anthropic in → Anthropic upstream',
    inbound: 'anthropic',
    upstream: 'anthropic',
    via: 'gateway',
    target: (urls) => anthropicTarget('anthropic-anthropic', urls.gateway, 'anthropic/claude-haiku-4-5'),
  },
  {
    lane: 'OpenAI in → Anthropic upstream',
    inbound: 'openai',
    upstream: 'anthropic',
    via: 'gateway',
    target: (urls) => openaiTarget('openai-anthropic', urls.gateway, 'anthropic/claude-haiku-4-5'),
  },
  {
    lane: 'Anthropic, direct to the mock',
    inbound: 'anthropic',
    upstream: 'anthropic',
    via: 'direct',
    target: (urls) => anthropicTarget('anthropic-direct', urls.mock),
  },
];

/**
 * The gateway's translation lanes against its same-format lanes, closed loop at 50 connections:
 * Anthropic Messages in → OpenAI-protocol upstream, and the reverse, and OpenAI Responses in →
 * OpenAI Chat upstream. Lanes are run in two
 * interleaved rounds and averaged, so a busy moment on the machine does not fall on one lane.
 */
export async function runTranslation(context: ScenarioContext): Promise<TranslationResult> {
  const topology = await context.topology();
  await topology.setReply(PLAIN_REPLY);
  const connections = 50;
  const durationSeconds = context.smoke ? 3 : 6;
  const rounds = context.smoke ? 1 : 2;
  const meter = new UsageMeter(topology.all);
  const urls = { gateway: topology.gateway.url, mock: topology.mock.url };
  const perLane = new Map<string, LaneRun[]>();
  for (let round = 0; round < rounds; round++) {
    for (const lane of LANES) {
      const target = lane.target(urls);
      if (round === 0) await runAutocannon(target, { connections, durationSeconds: 1 });
      await settle();
      await meter.start();
      const result = await runAutocannon(target, { connections, durationSeconds });
      const usage = await meter.stop(result.requests);
      const { target: _target, ...info } = lane;
      perLane.set(lane.lane, [...(perLane.get(lane.lane) ?? []), { ...result, ...info, usage }]);
    }
  }
  const lanes = LANES.map((lane) => averageRuns(perLane.get(lane.lane) ?? []));
  for (const lane of lanes) context.log(`lane ${lane.lane}: ${lane.requestsPerSecond} req/s`);
  const rps = (inbound: string, upstream: string) =>
    lanes.find((lane) => lane.via === 'gateway' && lane.inbound === inbound && lane.upstream === upstream)
      ?.requestsPerSecond ?? 0;
  return {
    connections,
    durationSeconds: durationSeconds * rounds,
    lanes,
    ratios: {
      anthropicToOpenai: round(rps('anthropic', 'openai') / Math.max(1, rps('openai', 'openai')), 3),
      openaiToAnthropic: round(rps('openai', 'anthropic') / Math.max(1, rps('anthropic', 'anthropic')), 3),
      responsesToOpenai: round(rps('responses', 'openai') / Math.max(1, rps('openai', 'openai')), 3),
    },
  };
}

/** The mean of a lane's rounds (req/s, latency percentiles, CPU per request). */
function averageRuns(runs: LaneRun[]): LaneRun {
  const first = runs[0] as LaneRun;
  const mean = (pick: (run: LaneRun) => number) =>
    runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  return {
    ...first,
    requests: Math.round(mean((run) => run.requests)),
    requestsPerSecond: Math.round(mean((run) => run.requestsPerSecond)),
    errors: Math.round(mean((run) => run.errors)),
    non2xx: Math.round(mean((run) => run.non2xx)),
    latencyMs: {
      p50: round(
        mean((run) => run.latencyMs.p50),
        1,
      ),
      p90: round(
        mean((run) => run.latencyMs.p90),
        1,
      ),
      p99: round(
        mean((run) => run.latencyMs.p99),
        1,
      ),
      max: Math.max(...runs.map((run) => run.latencyMs.max)),
    },
    usage: first.usage.map((usage, i) => ({
      ...usage,
      cpuMs: round(
        mean((run) => run.usage[i]?.cpuMs ?? 0),
        1,
      ),
      ...(usage.cpuUsPerRequest === undefined
        ? {}
        : {
            cpuUsPerRequest: round(
              mean((run) => run.usage[i]?.cpuUsPerRequest ?? 0),
              1,
            ),
          }),
    })),
  };
}
