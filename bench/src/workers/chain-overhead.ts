import { Bridge, type ChatRequest, type Middleware, type NextFunction } from 'ai.matey.core';
import {
  createCostTrackingMiddleware,
  createLoggingMiddleware,
  createRateLimitMiddleware,
  createRetryMiddleware,
  createTimeoutMiddleware,
  createValidationMiddleware,
} from 'ai.matey.middleware';
import { MockBackend } from 'ai.matey.testing';
import { round } from '../processes/child-server.ts';
import { type LatencySummary, SampleBuffer, summarize } from '../stats/percentiles.ts';

/** Microseconds per call of one way of calling the backend. */
export interface ChainVariant {
  name: string;
  middleware: number;
  /** Mean µs per call (median of the rounds' means). */
  meanUs: number;
  /** Per-call µs over all rounds. */
  perCall: LatencySummary;
  /** Mean µs added over calling the backend directly. */
  addedUs: number;
}

export interface ChainOverheadResult {
  callsPerRound: number;
  rounds: number;
  execute: ChainVariant[];
  stream: ChainVariant[];
  /** bridge.execute with each of the six alone: where the chain's time goes. */
  single: ChainVariant[];
  /** The six middleware of the "six-middleware chain", in order. */
  chain: string[];
}

const request: ChatRequest = {
  model: 'mock-model',
  messages: [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content: 'Say hello in one short sentence.' },
  ],
  maxOutputTokens: 64,
  metadata: { userId: 'bench' },
};

/** The six middleware a production gateway would plausibly run, each doing its real work. */
function sixMiddleware(): Middleware[] {
  const prices = { 'mock-model': { inputPerMTok: 1, outputPerMTok: 2 } };
  const discard = { write: () => {} };
  return [
    createLoggingMiddleware({ destination: discard }),
    createValidationMiddleware({ maxMessages: 100 }),
    createRateLimitMiddleware({ requestsPerWindow: 1_000_000_000 }),
    createTimeoutMiddleware({ totalMs: 60_000 }),
    createRetryMiddleware({ maxAttempts: 3 }),
    createCostTrackingMiddleware({ prices }),
  ];
}

/** Six middleware that only call next: what the chain itself costs. */
function sixPassThrough(): Middleware[] {
  return Array.from({ length: 6 }, (_, i) => ({
    name: `pass-${i}`,
    execute: (req: ChatRequest, next: NextFunction) => next(req),
  }));
}

type Call = () => Promise<unknown>;

/**
 * bridge.execute (and bridge.stream, consumed) through a six-middleware chain over a MockBackend,
 * against calling the MockBackend directly: the µs the chain adds per call. Variants are run in
 * interleaved rounds; each variant's figure is the median of its round means.
 */
export async function measureChainOverhead(smoke: boolean): Promise<ChainOverheadResult> {
  const callsPerRound = smoke ? 5_000 : 20_000;
  const rounds = smoke ? 3 : 7;
  const backend = new MockBackend({ reply: { text: 'Hello! How can I help you today?' } });
  const bare = new Bridge({ backend });
  const passThrough = new Bridge({ backend, middleware: sixPassThrough() });
  const six = new Bridge({ backend, middleware: sixMiddleware() });
  const drain = async (stream: AsyncIterable<unknown>) => {
    for await (const _event of stream);
  };

  const executeVariants: Array<[string, number, Call]> = [
    ['backend.execute (direct)', 0, () => backend.execute(request)],
    ['bridge.execute, no middleware', 0, () => bare.execute(request)],
    ['bridge.execute, 6 pass-through', 6, () => passThrough.execute(request)],
    ['bridge.execute, 6 middleware', 6, () => six.execute(request)],
  ];
  const streamVariants: Array<[string, number, Call]> = [
    ['backend.stream (direct)', 0, () => drain(backend.stream(request))],
    ['bridge.stream, no middleware', 0, () => drain(bare.stream(request))],
    ['bridge.stream, 6 pass-through', 6, () => drain(passThrough.stream(request))],
    ['bridge.stream, 6 middleware', 6, () => drain(six.stream(request))],
  ];

  const measure = async (variants: Array<[string, number, Call]>): Promise<ChainVariant[]> => {
    for (const [, , call] of variants) for (let i = 0; i < callsPerRound / 2; i++) await call();
    const means = variants.map(() => [] as number[]);
    const samples = variants.map(() => new SampleBuffer());
    for (let r = 0; r < rounds; r++) {
      for (let v = 0; v < variants.length; v++) {
        const call = (variants[v] as [string, number, Call])[2];
        const buffer = samples[v] as SampleBuffer;
        backend.calls.length = 0;
        const started = performance.now();
        for (let i = 0; i < callsPerRound; i++) {
          const t0 = performance.now();
          await call();
          buffer.push((performance.now() - t0) * 1000);
        }
        means[v]?.push(((performance.now() - started) * 1000) / callsPerRound);
      }
    }
    const medianMean = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const direct = medianMean(means[0] ?? []);
    return variants.map(([name, middleware], v) => {
      const meanUs = medianMean(means[v] ?? []);
      return {
        name,
        middleware,
        meanUs: round(meanUs, 2),
        perCall: summarize((samples[v] as SampleBuffer).values(), 2),
        addedUs: round(meanUs - direct, 2),
      };
    });
  };

  const singleVariants: Array<[string, number, Call]> = [
    ['bridge.execute, no middleware', 0, () => bare.execute(request)],
    ...sixMiddleware().map((middleware): [string, number, Call] => {
      const bridge = new Bridge({ backend, middleware: [middleware] });
      return [`bridge.execute, ${middleware.name ?? 'unnamed'} only`, 1, () => bridge.execute(request)];
    }),
  ];
  const execute = await measure(executeVariants);
  const stream = await measure(streamVariants);
  // Against the bare bridge: what each middleware adds on its own (the full run only).
  const single = smoke ? [] : (await measure(singleVariants)).slice(1);
  return {
    callsPerRound,
    rounds,
    execute,
    stream,
    single,
    chain: sixMiddleware().map((middleware) => middleware.name ?? 'unnamed'),
  };
}
