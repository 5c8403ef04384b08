import { checkOptions, type OptionShape } from 'ai.matey.core';

/** Health of one provider as the failover middleware sees it. */
export interface ProviderHealthState {
  status: 'healthy' | 'unhealthy';
  consecutiveFailures: number;
  /** When the provider was last marked unhealthy (epoch ms). */
  unhealthySince?: number;
  /** When an unhealthy provider gets its next probe (epoch ms). */
  retryAt?: number;
}

export interface ProviderHealthOptions {
  /** Consecutive failures that mark a provider unhealthy. */
  unhealthyAfter: number;
  /** How long an unhealthy provider is skipped before one call probes it again. */
  recoverAfterMs: number;
  now: () => number;
}

/** `use`: call it; `probe`: call it as the one probe after the cool-down; `skip`: leave it out. */
export type Admission = 'use' | 'probe' | 'skip';

const providerHealthOptions: OptionShape<ProviderHealthOptions> = {
  unhealthyAfter: true,
  recoverAfterMs: true,
  now: true,
};

/**
 * Consecutive-failure health per provider, with recovery: an unhealthy provider is skipped for
 * `recoverAfterMs`, then a single call probes it; success makes it healthy, failure restarts
 * the cool-down. (The seed's version marked a provider unhealthy forever.)
 */
export class ProviderHealth {
  readonly #options: ProviderHealthOptions;
  readonly #states = new Map<string, ProviderHealthState & { probing: boolean }>();

  constructor(options: ProviderHealthOptions) {
    checkOptions('new ProviderHealth', options, providerHealthOptions);
    this.#options = options;
  }

  admit(provider: string): Admission {
    const state = this.#state(provider);
    if (state.status === 'healthy') return 'use';
    if (state.probing || this.#options.now() < (state.retryAt ?? 0)) return 'skip';
    state.probing = true;
    return 'probe';
  }

  /** Time left (ms) before a skipped provider is probed again. */
  retryInMs(provider: string): number | undefined {
    const retryAt = this.#states.get(provider)?.retryAt;
    return retryAt === undefined ? undefined : Math.max(0, retryAt - this.#options.now());
  }

  recordSuccess(provider: string): void {
    this.#states.set(provider, { status: 'healthy', consecutiveFailures: 0, probing: false });
  }

  recordFailure(provider: string): void {
    const state = this.#state(provider);
    state.consecutiveFailures++;
    state.probing = false;
    if (state.status === 'unhealthy' || state.consecutiveFailures >= this.#options.unhealthyAfter) {
      const now = this.#options.now();
      state.status = 'unhealthy';
      state.unhealthySince = now;
      state.retryAt = now + this.#options.recoverAfterMs;
    }
  }

  /** No verdict (the caller cancelled, or the error was the request's fault): free the probe. */
  release(provider: string): void {
    const state = this.#states.get(provider);
    if (state) state.probing = false;
  }

  snapshot(): Record<string, ProviderHealthState> {
    return Object.fromEntries(
      [...this.#states].map(([provider, { probing: _probing, ...state }]) => [provider, { ...state }]),
    );
  }

  #state(provider: string) {
    let state = this.#states.get(provider);
    if (!state) {
      state = { status: 'healthy', consecutiveFailures: 0, probing: false };
      this.#states.set(provider, state);
    }
    return state;
  }
}
