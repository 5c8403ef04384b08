/** The SSE parser on hostile input: huge events are linear to read and capped (issue 11, item 12). */
import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.ts';

const PIECE = 'x'.repeat(64 * 1024);

/** Feeds one event of `megabytes` of data in socket-sized pieces; returns the events and the time. */
function feedHugeEvent(parser: SseParser, megabytes: number) {
  const started = performance.now();
  parser.push('event: content_block_delta\ndata: ');
  for (let i = 0; i < (megabytes * 1024 * 1024) / PIECE.length; i++) parser.push(PIECE);
  const events = parser.push('\r\n\r\n');
  return { events, ms: performance.now() - started };
}

describe('SseParser', () => {
  it('reads one 40 MB event in linear time', () => {
    const { events, ms } = feedHugeEvent(new SseParser({ maxEventBytes: Number.POSITIVE_INFINITY }), 40);
    expect(events).toHaveLength(1);
    expect(events[0]?.data.length).toBe(40 * 1024 * 1024);
    // Re-scanning the growing line took 14 s; one pass takes tens of milliseconds.
    expect(ms).toBeLessThan(2_000);
  });

  it('refuses an event past the cap with a clear error, as soon as it passes it', () => {
    const parser = new SseParser({ maxEventBytes: 1024 * 1024 });
    expect(() => feedHugeEvent(parser, 2)).toThrowError(
      expect.objectContaining({
        kind: 'upstream-server',
        code: 'sse_event_too_large',
        message: expect.stringMatching(/size limit of 1048576 bytes/),
      }),
    );
  });

  it('counts every line of an event against the cap, not only the unfinished one', () => {
    const parser = new SseParser({ maxEventBytes: 100 });
    expect(() => {
      for (let i = 0; i < 20; i++) parser.push('data: 0123456789\n');
    }).toThrowError(expect.objectContaining({ code: 'sse_event_too_large' }));
    const fresh = new SseParser({ maxEventBytes: 100 });
    for (let i = 0; i < 20; i++) expect(fresh.push('data: 0123456789\n\n')).toHaveLength(1);
  });

  it('splits mixed line ends in one pass, a CRLF cut between chunks included', () => {
    const parser = new SseParser();
    const events = [
      ...parser.push('data: a\r\n\r\ndata: b\n\ndata: c\r'),
      ...parser.push('\n\rdata: d\r\r'),
      ...parser.end(),
    ];
    expect(events.map((event) => event.data)).toEqual(['a', 'b', 'c', 'd']);
  });
});
