import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.ts';
import { InvalidRequestError } from './errors/invalid-request-error.ts';
import { UpstreamServerError } from './errors/upstream-server-error.ts';

const failure = new UpstreamServerError({ message: '500' });

describe('CircuitBreaker', () => {
  it('goes closed → open → half-open → closed, with a limited number of probes', () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 3,
      cooldownMs: 1000,
      halfOpenMaxProbes: 2,
      now: () => now,
      onStateChange: ({ from, to }) => changes.push(`${from}->${to}`),
    });
    for (let i = 0; i < 3; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure(failure);
    }
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    now = 1000;
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('re-opens when a probe fails, and ignores errors that are not the backend’s fault', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10, now: () => now });
    breaker.recordFailure(new InvalidRequestError({ message: 'bad request' }));
    expect(breaker.state).toBe('closed');
    breaker.recordFailure(failure);
    expect(breaker.state).toBe('open');
    now = 10;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure(failure);
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 10, retryAt: 20, totalFailures: 2 });
  });

  it('counts only consecutive failures', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    breaker.recordFailure(failure);
    breaker.recordSuccess();
    breaker.recordFailure(failure);
    expect(breaker.state).toBe('closed');
  });
});
