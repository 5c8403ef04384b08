import { describe, expect, it } from 'vitest';
import { checkGoals } from './goals.ts';
import { peersSection } from './report/sections-more.ts';
import type { ScenarioResults } from './results.ts';
import type { PeersResult } from './scenarios/peers.ts';
import type { SoakResult } from './scenarios/soak.ts';
import type { ThroughputResult } from './scenarios/throughput.ts';

function throughput(gatewayToFloor: number): ThroughputResult {
  const run = (requestsPerSecond: number) => ({
    connections: 50,
    requests: requestsPerSecond * 5,
    requestsPerSecond,
    errors: 0,
    non2xx: 0,
    latencyMs: { p50: 1, p90: 1, p99: 1, max: 1 },
    usage: [],
  });
  return {
    connections: 50,
    durationSeconds: 5,
    rounds: 1,
    runs: { direct: run(2000), floor: run(1000), gateway: run(1000 * gatewayToFloor) },
    roundRequestsPerSecond: { direct: [2000], floor: [1000], gateway: [1000 * gatewayToFloor] },
    gatewayToFloor,
    floorToDirect: 0.5,
  };
}

function soak(seconds: number, growth: number): SoakResult {
  return {
    seconds,
    gatewayRssGrowth: growth,
    gatewayRssAfterWarmupMb: 100,
    gatewayRssEndMb: 100 * (1 + growth),
  } as SoakResult;
}

const statusOf = (results: Partial<ScenarioResults>, area: string) =>
  checkGoals(results).find((goal) => goal.area === area)?.status;

describe('checkGoals', () => {
  it('meets the throughput goal at half the floor and misses it just below', () => {
    expect(statusOf({ throughput: throughput(0.5) }, 'Throughput')).toBe('met');
    expect(statusOf({ throughput: throughput(0.49) }, 'Throughput')).toBe('missed');
  });

  it('marks scenarios that did not run instead of passing them', () => {
    const goals = checkGoals({});
    expect(goals.length).toBeGreaterThan(5);
    expect(goals.every((goal) => goal.status === 'not run')).toBe(true);
  });

  it('does not call a soak shorter than five minutes met, but does fail real growth', () => {
    expect(statusOf({ soak: soak(60, 0.02) }, 'Memory')).toBe('reported');
    expect(statusOf({ soak: soak(300, 0.02) }, 'Memory')).toBe('met');
    expect(statusOf({ soak: soak(60, 0.15) }, 'Memory')).toBe('missed');
  });

  it('reports the gateway against the peers measured in the same run, and a peer whose streams failed', () => {
    const run = (name: string, requestsPerSecond: number, firstByteP50Ms: number | undefined) => ({
      name,
      requestsPerSecond,
      cpuUsPerRequest: 100,
      latencyP50Ms: 0.3,
      latencyP99Ms: 1,
      firstByteP50Ms,
      errors: firstByteP50Ms === undefined ? 200 : 0,
    });
    const peers: PeersResult = {
      connections: 50,
      durationSeconds: 5,
      runs: [
        run('floor', 10_000, 0.6),
        run('gateway', 6_000, 1),
        run('portkey', 1_000, undefined),
        run('openai-sdk', 2_000, 2),
      ],
    };
    const goal = checkGoals({ peers }).find((entry) => entry.area === 'Peers');
    expect(goal?.measured).toBe('6.0× Portkey (1000 req/s), 3.0× the openai-SDK gateway (2000 req/s)');
    expect(goal?.status).toBe('reported');
    const section = peersSection(peers);
    expect(section).toMatch(/\| portkey +\| +1,000 \| +0\.10× \| +6\.00× .*\| failed +\| +200 \|/);
  });
});
