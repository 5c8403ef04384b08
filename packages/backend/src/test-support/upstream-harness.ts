import { AiMateyError, type StreamEvent } from 'ai.matey.core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { HttpTransport } from '../transport/http-transport.ts';
import { TEST_KEY } from './adapter-families.ts';
import { type MockUpstream, startMockUpstream } from './mock-upstream.ts';

/** A mock upstream and an HTTP transport shared by the tests of one describe block. */
export interface UpstreamHarness {
  /** The running upstream (started before the block's tests, reset before each). */
  readonly upstream: MockUpstream;
  readonly transport: HttpTransport;
}

/**
 * Starts a mock upstream that accepts `TEST_KEY` before the enclosing block's tests, resets its
 * queue and log before each test, and closes it and the transport after them.
 */
export function useMockUpstream(): UpstreamHarness {
  const transport = new HttpTransport();
  let upstream: MockUpstream | undefined;
  beforeAll(async () => {
    upstream = await startMockUpstream({ apiKeys: [TEST_KEY] });
  });
  afterAll(async () => {
    await transport.close();
    await upstream?.close();
  });
  beforeEach(() => upstream?.reset());
  return {
    transport,
    get upstream(): MockUpstream {
      if (!upstream) throw new Error('The mock upstream starts in beforeAll: use it inside a test');
      return upstream;
    },
  };
}

/** The typed error a call fails with; fails the test when it succeeds or throws something else. */
export async function failure(work: () => Promise<unknown>): Promise<AiMateyError> {
  try {
    await work();
  } catch (error) {
    if (AiMateyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Every event of a stream, read to its end. */
export async function drain(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const seen: StreamEvent[] = [];
  for await (const event of stream) seen.push(event);
  return seen;
}
