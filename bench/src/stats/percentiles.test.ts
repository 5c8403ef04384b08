import { describe, expect, it } from 'vitest';
import { SampleBuffer, summarize } from './percentiles.ts';

describe('summarize', () => {
  it('gives exact nearest-rank percentiles, whatever the input order', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const summary = summarize(samples);
    expect(summary).toMatchObject({
      count: 1000,
      min: 1,
      p50: 500,
      p90: 900,
      p99: 990,
      p999: 999,
      max: 1000,
    });
    expect(summary.mean).toBe(500.5);
  });

  it('reports zeros for no samples instead of NaN', () => {
    expect(summarize([])).toEqual({ count: 0, mean: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
  });

  it('keeps every sample when the buffer grows past its first allocation', () => {
    const buffer = new SampleBuffer();
    for (let i = 0; i < 5000; i++) buffer.push(i);
    expect(buffer.length).toBe(5000);
    expect(summarize(buffer.values()).max).toBe(4999);
  });
});
