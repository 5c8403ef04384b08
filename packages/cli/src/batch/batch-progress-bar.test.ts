import type { BatchProgress } from 'ai.matey.patterns';
import { describe, expect, it } from 'vitest';
import { BatchProgressBar } from './batch-progress-bar.ts';

function progress(done: number, extra: Partial<BatchProgress> = {}): BatchProgress {
  return {
    total: 10,
    done,
    failed: 0,
    inFlight: 0,
    pending: 10 - done,
    ratePerSecond: 2,
    etaMs: (10 - done) * 500,
    elapsedMs: done * 500,
    ...extra,
  };
}

function output(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, out: { isTTY, write: (text: string) => writes.push(text) } };
}

describe('BatchProgressBar', () => {
  it('redraws one line in place on a terminal, at most every redraw interval', () => {
    let now = 0;
    const { writes, out } = output(true);
    const bar = new BatchProgressBar(out, { redrawIntervalMs: 100, now: () => now });
    bar.update(progress(1));
    now = 50;
    bar.update(progress(2));
    now = 150;
    bar.update(progress(3, { failed: 1 }));
    bar.finish(progress(10, { failed: 1 }));
    expect(writes).toHaveLength(4);
    expect(writes[0]).toBe('\r\u001b[2K[##......................] 1/10 10% · 2.0/s · ETA 5s');
    expect(writes[1]).toContain('3/10 30% · 1 failed');
    expect(writes[2]).toBe(`\r\u001b[2K[${'#'.repeat(24)}] 10/10 100% · 1 failed · 2.0/s · in 5s`);
    expect(writes[3]).toBe('\n');
  });

  it('prints plain lines now and then when not on a terminal, and the last state once', () => {
    let now = 0;
    const { writes, out } = output(false);
    const bar = new BatchProgressBar(out, { plainIntervalMs: 1_000, now: () => now });
    for (let done = 1; done <= 10; done++) {
      now = done * 300;
      bar.update(progress(done));
    }
    bar.finish(progress(10));
    expect(writes).toEqual([
      'batch: 1/10 10% · 2.0/s · ETA 5s\n',
      'batch: 5/10 50% · 2.0/s · ETA 3s\n',
      'batch: 9/10 90% · 2.0/s · ETA 1s\n',
      'batch: 10/10 100% · 2.0/s · in 5s\n',
    ]);
    expect(writes.join('')).not.toContain('\r');
  });
});
