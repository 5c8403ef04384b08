import { describe, expect, it } from 'vitest';
import { parseBatchLine } from './read-batch-input.ts';

describe('parseBatchLine', () => {
  it('turns the prompt form into messages, with the system prompt first and the id kept apart', () => {
    const item = parseBatchLine(
      JSON.stringify({ custom_id: 'a-1', prompt: 'Hi', system: 'Be terse', model: 'gpt-4o', temperature: 0 }),
      'in.jsonl:1',
      1,
    );
    expect(item).toEqual({
      id: 'a-1',
      line: 1,
      request: {
        model: 'gpt-4o',
        temperature: 0,
        messages: [
          { role: 'system', content: 'Be terse' },
          { role: 'user', content: 'Hi' },
        ],
      },
    });
  });

  it('passes a spec request through', () => {
    const request = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
      maxOutputTokens: 5,
    };
    expect(parseBatchLine(JSON.stringify(request), 'f:1', 1).request).toEqual(request);
  });

  it.each([
    ['not json', 'f:3: not valid JSON'],
    ['[1,2]', 'f:3: a line must be a JSON object'],
    ['{"text":"hi"}', 'f:3: needs "messages" (a non-empty array) or "prompt"'],
    ['{"prompt":"a","messages":[]}', 'f:3: give prompt or messages, not both'],
    ['{"prompt":42}', 'f:3: prompt must be a string'],
    ['{"messages":[{"role":"user"}]}', 'f:3: messages.0.content: a string or an array of content parts'],
    ['{"prompt":"a","model":7}', 'f:3: model must be a string'],
  ])('refuses %s', (line, message) => {
    expect(() => parseBatchLine(line, 'f:3', 3)).toThrow(message);
  });
});
