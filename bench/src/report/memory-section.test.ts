import { describe, expect, it } from 'vitest';
import type { MemoryResult, MemoryServerRun, MemorySizeRun } from '../scenarios/memory.ts';
import { GATEWAY_SEMI_SPACE_MB } from '../scenarios/topology.ts';
import { memoryGoals, memorySection } from './memory-section.ts';

function server(peakRssMb: number, cpuUsPerRequest: number): MemoryServerRun {
  return {
    requestsPerSecond: 3000,
    roundRequestsPerSecond: [3000],
    latencyP99Ms: 20,
    idleRssMb: 100,
    idleHeapUsedMb: 20,
    peakRssMb,
    endRssMb: peakRssMb,
    cpuUsPerRequest,
    gcUsPerRequest: 20,
    scavengesPer1000: 3,
  };
}

function size(semiSpaceMb: number, gatewayPeak: number, cpu: number): MemorySizeRun {
  return {
    semiSpaceMb,
    flags: semiSpaceMb === 16 ? [] : [`--max-semi-space-size=${semiSpaceMb}`],
    gateway: server(gatewayPeak, cpu),
    floor: server(100, 80),
    throughputRatio: 0.5,
    peakRssRatio: gatewayPeak / 100,
    fixedRate: { rate: 1000, cpuUsPerRequest: cpu, scavengesPer1000: 3, latencyP99Ms: 5, errors: 0 },
  };
}

const result = (chosenPeak: number): MemoryResult => ({
  connections: 50,
  durationSeconds: 4,
  rounds: 3,
  sizes: [size(16, 140, 300), size(GATEWAY_SEMI_SPACE_MB, chosenPeak, 250)],
});

describe('memory goal', () => {
  it('is met at ≤ 1.5× the floor, else reported with the V8 default beside the chosen size', () => {
    expect(memoryGoals(result(150))[0]?.status).toBe('met');
    const [over] = memoryGoals(result(230));
    expect(over?.status).toBe('reported');
    expect(over?.measured).toBe(
      `2.30× at the chosen ${GATEWAY_SEMI_SPACE_MB} MB semi-space (230 vs 100 MB peak); V8's 16 MB: 1.40× (140 MB), 20% more CPU a request`,
    );
    expect(memoryGoals(undefined)[0]?.status).toBe('not run');
  });

  it('lists the sizes in order, the chosen one marked, with the fixed-rate CPU', () => {
    const text = memorySection({ ...result(230), sizes: [...result(230).sizes].reverse() });
    const rows = text.split('\n').filter((line) => /^\| \d+ MB/.test(line));
    expect(rows[0]).toMatch(/^\| 16 MB \(V8 default\) /);
    expect(rows[1]).toMatch(new RegExp(`^\\| ${GATEWAY_SEMI_SPACE_MB} MB, chosen .* 250 \\|$`));
  });
});
