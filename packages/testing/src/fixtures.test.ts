import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturesDir, fixtureToSse, listFixtures, readFixture } from 'ai.matey.fixtures';
import { type BuiltInWireProtocol, SseParser } from 'ai.matey.wire';
import { afterEach, describe, expect, it } from 'vitest';

// Recorded responses from packages/fixtures/recorded (see its README.md).
const protocols: BuiltInWireProtocol[] = ['openai-chat', 'anthropic-messages', 'gemini'];

describe('fixtures', () => {
  const savedEnv = process.env.AI_MATEY_FIXTURES;
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.AI_MATEY_FIXTURES;
    else process.env.AI_MATEY_FIXTURES = savedEnv;
  });

  it('finds the fixtures folder shipped with the package and lists each protocol without extensions', () => {
    expect(fixturesDir()).toMatch(/fixtures[/\\]recorded$/);
    const openai = listFixtures('openai-chat');
    expect(openai).toContain('openai-text');
    expect(openai).toContain('deepseek-json');
    expect(openai.filter((name) => name === 'openai-text')).toHaveLength(1);
    expect(listFixtures('gemini')).toContain('google-429-retry-info');
    expect(listFixtures('anthropic-messages')).toContain('duplicate-message-start');
  });

  it('reads the JSON body and the stream payloads of a fixture', () => {
    const fixture = readFixture('openai-chat', 'openai-text');
    expect((fixture.json as { object: string }).object).toBe('chat.completion');
    expect(fixture.chunks?.length).toBeGreaterThan(10);
    for (const chunk of fixture.chunks ?? []) expect(() => JSON.parse(chunk)).not.toThrow();
    expect(readFixture('openai-chat', 'deepseek-json').chunks).toBeUndefined();
    expect(() => readFixture('gemini', 'no-such-fixture')).toThrow(/no-such-fixture/);
  });

  it('honours AI_MATEY_FIXTURES', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixtures-'));
    mkdirSync(join(dir, 'gemini'));
    writeFileSync(join(dir, 'gemini', 'custom.chunks.txt'), '{"a":1}\n\n{"b":2}\n');
    process.env.AI_MATEY_FIXTURES = dir;
    expect(listFixtures('gemini')).toEqual(['custom']);
    expect(readFixture('gemini', 'custom')).toEqual({ chunks: ['{"a":1}', '{"b":2}'] });
  });

  it('frames streams as each provider sends them', () => {
    expect(fixtureToSse('openai-chat', ['{"a":1}', '{"b":2}'])).toBe(
      'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n',
    );
    expect(fixtureToSse('anthropic-messages', ['{"type":"ping"}'])).toBe(
      'event: ping\ndata: {"type":"ping"}\n\n',
    );
    expect(fixtureToSse('gemini', ['{"a":1}'])).toBe('data: {"a":1}\n\n');
  });

  it.each(protocols)('re-parses every %s stream fixture into the same payloads', (protocol) => {
    for (const name of listFixtures(protocol)) {
      const chunks = readFixture(protocol, name).chunks;
      if (!chunks) continue;
      const parser = new SseParser();
      const events = [...parser.push(fixtureToSse(protocol, chunks)), ...parser.end()];
      const payloads = events.map((event) => event.data).filter((data) => data !== '[DONE]');
      expect(payloads, name).toEqual(chunks);
      if (protocol === 'anthropic-messages') {
        expect(events.map((event) => event.event)).toEqual(chunks.map((chunk) => JSON.parse(chunk).type));
      }
      expect(events.at(-1)?.data === '[DONE]', name).toBe(protocol === 'openai-chat');
    }
  });
});
