import { describe, expect, it } from 'vitest';
import { RateGate } from './rate-gate.ts';

describe('RateGate', () => {
  it('spaces admissions evenly and keeps the grid when a timer fires late', () => {
    let now = 0;
    const gate = new RateGate({ requestsPerMinute: 600, now: () => now });
    expect(gate.delayFor()).toBe(0);
    gate.admit();
    expect(gate.delayFor()).toBe(100);
    now = 103; // the timer was 3 ms late
    gate.admit();
    expect(gate.delayFor()).toBe(97); // next slot stays at 200, not 203
  });

  it('after a stall makes up at most one slot, never a burst', () => {
    let now = 0;
    const gate = new RateGate({ requestsPerMinute: 600, now: () => now });
    gate.admit();
    now = 1_000; // nine slots missed
    gate.admit();
    expect(gate.delayFor()).toBe(0);
    gate.admit();
    expect(gate.delayFor()).toBe(100);
  });

  it('charges items by tokens against tokensPerMinute', () => {
    let now = 0;
    const gate = new RateGate({ tokensPerMinute: 60_000, now: () => now });
    gate.admit(500);
    expect(gate.delayFor(10)).toBe(500);
    expect(gate.delayFor(0)).toBe(0);
    now = 500;
    gate.admit(10);
    expect(gate.delayFor(10)).toBe(10);
  });

  it('pauses every admission and resumes on a fresh grid', () => {
    let now = 0;
    const gate = new RateGate({ requestsPerMinute: 600, now: () => now });
    gate.admit();
    gate.pauseFor(1_000);
    expect(gate.delayFor()).toBe(1_000);
    expect(gate.pausedForMs()).toBe(1_000);
    now = 1_000;
    gate.admit();
    expect(gate.delayFor()).toBe(100);
  });

  it('never lets a one-second window hold more than its share, with late timers, and keeps 98% of the rate', () => {
    let now = 0;
    const gate = new RateGate({ requestsPerMinute: 30_000, now: () => now }); // 500/s, a 2 ms grid
    const admitted: number[] = [];
    let seed = 7;
    const jitter = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return (seed / 2 ** 31) * 3; // timers 0–3 ms late
    };
    while (admitted.length < 5_000) {
      now += gate.delayFor() + jitter();
      while (gate.delayFor() === 0) {
        gate.admit();
        admitted.push(now);
      }
    }
    let most = 0;
    for (let first = 0, last = 0; last < admitted.length; last++) {
      while (admitted[last]! - admitted[first]! >= 1_000) first++;
      most = Math.max(most, last - first + 1);
    }
    expect(most).toBeLessThanOrEqual(500);
    const rate = admitted.length / (admitted.at(-1)! / 1_000);
    expect(rate).toBeGreaterThan(490);
    expect(rate).toBeLessThanOrEqual(500);
  });

  it('holds the next admission until the one a share back has left the guarded window', () => {
    let now = 0;
    const gate = new RateGate({ requestsPerMinute: 600, now: () => now }); // 10 per second
    const times: number[] = [];
    while (times.length < 21) {
      now += gate.delayFor();
      gate.admit();
      times.push(now);
    }
    expect(times.slice(0, 10)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    // The first window counts 30 ms late (new connections), plus the 10 ms guard: 0 + 30 + 1010.
    expect(times[10]).toBe(1_040);
    expect(times[19]).toBe(1_940);
    // From the second window on, only the guard: the admission ten back (1040) + 1010.
    expect(times[20]).toBe(2_050);
  });
});

describe('RateGate with maxRequests per perMinutes (a sliding window)', () => {
  it('lets a burst of maxRequests through, then one each time the oldest leaves the window', () => {
    let now = 0;
    const gate = new RateGate({ maxRequests: 10, perMinutes: 1, now: () => now });
    for (let i = 0; i < 10; i++) {
      expect(gate.delayFor()).toBe(0);
      gate.admit();
      now += 5;
    }
    // The first was admitted at 0 (counted 30 ms late, its connection is new); window 60 s + 1%.
    expect(gate.delayFor()).toBe(30 + 60_000 + 600 - now);
    now = 60_630;
    expect(gate.delayFor()).toBe(0);
    gate.admit();
    expect(gate.delayFor()).toBe(5); // the second left the window 5 ms after the first
  });
});
