import { describe, expect, it } from 'vitest';
import { geminiPath, parseGeminiPath } from './gemini-path.ts';

describe('geminiPath / parseGeminiPath', () => {
  it('writes the model into the path, with alt=sse for streams', () => {
    expect(geminiPath('gemini-2.5-flash', false)).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(geminiPath('models/gemini-2.5-flash', true)).toBe(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });

  it('reads its own paths back, and those of other API versions', () => {
    for (const stream of [false, true])
      expect(parseGeminiPath(geminiPath('gemini-3-pro-preview', stream))).toEqual({
        model: 'gemini-3-pro-preview',
        stream,
      });
    expect(parseGeminiPath('/v1/models/gemini-2.0-flash:streamGenerateContent')).toEqual({
      model: 'gemini-2.0-flash',
      stream: true,
    });
    expect(parseGeminiPath('/v1beta/models/gemini%2D1:generateContent?key=x')).toEqual({
      model: 'gemini-1',
      stream: false,
    });
  });

  it('refuses other paths', () => {
    for (const path of [
      '/v1/chat/completions',
      '/v1beta/models/gemini-2.5-flash:countTokens',
      '/v1beta/models/:generateContent',
      '/v2/models/x:generateContent',
      '/v1beta/models/a/b:generateContent',
    ])
      expect(parseGeminiPath(path)).toBeUndefined();
  });
});
