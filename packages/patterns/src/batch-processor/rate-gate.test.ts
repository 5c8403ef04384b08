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
});
