import { type ChatResponse, responseToEvents, type StreamEvent } from 'ai.matey.core';
import { anthropicMessages, gemini, openaiChat, SseParser, type WireCodec } from 'ai.matey.wire';
import { round } from '../processes/child-server.ts';

/** One (upstream protocol → caller protocol) pair's stream translation speed. */
export interface CodecPair {
  from: string;
  to: string;
  /** Spec events decoded and re-encoded per second. */
  eventsPerSecond: number;
  /** µs per event (parse SSE + decode + encode). */
  usPerEvent: number;
  /** The source stream's SSE bytes per second. */
  megabytesPerSecond: number;
}

export interface CodecThroughputResult {
  eventsPerStream: number;
  streamsPerPair: number;
  pairs: CodecPair[];
}

const CODECS: WireCodec[] = [openaiChat, anthropicMessages, gemini];
const PROVIDER: Record<string, string> = {
  'openai-chat': 'openai',
  'anthropic-messages': 'anthropic',
  gemini: 'google',
};

/** A 100-delta reply with usage, as the source of every stream. */
function sourceEvents(): StreamEvent[] {
  const words = Array.from({ length: 100 }, (_, i) => `word${i} `);
  const response: ChatResponse = {
    id: 'bench-1',
    model: 'bench-model',
    provider: 'bench',
    content: [{ type: 'text', text: words.join('') }],
    finishReason: 'stop',
    usage: { inputTokens: 20, outputTokens: 100, totalTokens: 120 },
    warnings: [],
  };
  const events: StreamEvent[] = [];
  for (const event of responseToEvents(response)) {
    if (event.type === 'text-delta') for (const delta of words) events.push({ ...event, delta });
    else events.push(event);
  }
  return events;
}

/** The SSE frames a provider speaking `codec` would send for the events. */
function sourceFrames(codec: WireCodec, events: StreamEvent[]): string[] {
  const encoder = codec.createStreamEncoder({ includeUsage: true });
  const frames = events.map((event) => encoder.encode(event)).filter((text) => text !== '');
  const end = encoder.end();
  if (end !== '') frames.push(end);
  return frames;
}

/**
 * Stream events per second through the whole translation a gateway does per chunk: SSE parse →
 * the upstream codec's stream decoder → spec event → the caller's codec's stream encoder, for
 * every pair of protocols (the same-protocol pairs included: a gateway re-encodes those too).
 */
export function measureCodecThroughput(smoke: boolean): CodecThroughputResult {
  const events = sourceEvents();
  const streamsPerPair = smoke ? 300 : 3000;
  const pairs: CodecPair[] = [];
  for (const from of CODECS) {
    const frames = sourceFrames(from, events);
    const bytes = frames.reduce((sum, frame) => sum + Buffer.byteLength(frame), 0);
    for (const to of CODECS) {
      const run = (streams: number) => {
        let decoded = 0;
        let sink = 0;
        for (let s = 0; s < streams; s++) {
          const parser = new SseParser();
          const decoder = from.createStreamDecoder({ provider: PROVIDER[from.protocol] ?? 'bench' });
          const encoder = to.createStreamEncoder({ includeUsage: true });
          for (const frame of frames) {
            for (const sse of parser.push(frame)) {
              for (const event of decoder.push(sse)) {
                decoded++;
                sink += encoder.encode(event).length;
              }
            }
          }
          for (const event of decoder.end()) {
            decoded++;
            sink += encoder.encode(event).length;
          }
          sink += encoder.end().length;
        }
        return { decoded, sink };
      };
      run(Math.ceil(streamsPerPair / 5));
      const started = performance.now();
      const { decoded } = run(streamsPerPair);
      const seconds = (performance.now() - started) / 1000;
      pairs.push({
        from: from.protocol,
        to: to.protocol,
        eventsPerSecond: Math.round(decoded / seconds),
        usPerEvent: round((seconds * 1e6) / decoded, 3),
        megabytesPerSecond: round((bytes * streamsPerPair) / seconds / 1e6, 1),
      });
    }
  }
  return { eventsPerStream: events.length, streamsPerPair, pairs };
}
