import { describe, expect, it } from 'vitest';
import { piecesToFrames, splitEvenly, splitSseFrames } from './stream-pieces.ts';

describe('stream pieces', () => {
  it('splits text into the asked number of pieces, never inside a code point', () => {
    expect(splitEvenly('abcdefghij', 3)).toEqual(['abc', 'def', 'ghij']);
    expect(splitEvenly('ab', 5)).toEqual(['a', 'b']);
    const emoji = '😀😃😄😁';
    expect(splitEvenly(emoji, 4)).toEqual(['😀', '😃', '😄', '😁']);
    expect(splitEvenly(`x${emoji}`, 2).join('')).toBe(`x${emoji}`);
  });

  it('splits SSE text into events, keeping a piece’s wait on its first event', () => {
    expect(splitSseFrames('event: a\ndata: 1\n\ndata: 2\n\n')).toEqual([
      'event: a\ndata: 1\n\n',
      'data: 2\n\n',
    ]);
    expect(piecesToFrames([{ text: 'data: 1\n\ndata: 2\n\n', delayMs: 7 }])).toEqual([
      { text: 'data: 1\n\n', delayMs: 7 },
      { text: 'data: 2\n\n', delayMs: 0 },
    ]);
  });
});
