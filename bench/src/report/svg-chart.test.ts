import { describe, expect, it } from 'vitest';
import type { FixedRateRun } from '../scenarios/fixed-rate.ts';
import { summarize } from '../stats/percentiles.ts';
import { latencyVsLoadSvg } from './svg-chart.ts';

function run(path: 'direct' | 'floor' | 'gateway', rate: number, latencyMs: number): FixedRateRun {
  return {
    path,
    offeredRate: rate,
    achievedRate: rate,
    sent: rate,
    completed: rate,
    errors: 0,
    non2xx: 0,
    latency: summarize([latencyMs, latencyMs * 2]),
    sendLag: summarize([0]),
    usage: [],
  };
}

describe('latencyVsLoadSvg', () => {
  it('draws a p50 and a p99 line for each path, with every rate on the axis', () => {
    const runs = [100, 1000].flatMap((rate) => [
      run('direct', rate, 0.2),
      run('floor', rate, 0.5),
      run('gateway', rate, 50),
    ]);
    const svg = latencyVsLoadSvg(runs, 'A & B');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(6);
    expect(svg).toContain('>100<');
    expect(svg).toContain('>1000<');
    expect(svg).toContain('A &amp; B');
    expect(svg).not.toContain('NaN');
  });

  it('copes with a single offered rate (the smoke run)', () => {
    const svg = latencyVsLoadSvg([run('gateway', 500, 3)], 'one point');
    expect(svg).not.toContain('NaN');
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });
});
