import { describe, expect, it } from 'vitest';
import type { WireCodec } from './codec.ts';
import { openaiChat } from './openai-chat/index.ts';
import { registerWireProtocol, wireCodec, wireProtocols } from './wire-protocols.ts';

/** A protocol that is OpenAI Chat under another name and path, enough to test the registry. */
function madeUp(protocol: string): WireCodec {
  return {
    ...openaiChat,
    protocol,
    endpoints: { ...openaiChat.endpoints, chatPath: (path) => `${path}/complete` },
  };
}

describe('the wire protocol registry', () => {
  it('knows the built-in protocols, then the registered ones', () => {
    expect(wireProtocols().slice(0, 3)).toEqual(['openai-chat', 'anthropic-messages', 'gemini']);
    const codec = madeUp('registry-test-one');
    registerWireProtocol(codec);
    expect(wireCodec('registry-test-one')).toBe(codec);
    expect(wireProtocols()).toContain('registry-test-one');
    // Registering the same codec again (a module loaded twice) is harmless.
    registerWireProtocol(codec);
  });

  it('refuses another codec under a taken name, a built-in one included', () => {
    registerWireProtocol(madeUp('registry-test-two'));
    expect(() => registerWireProtocol(madeUp('registry-test-two'))).toThrow(
      "registerWireProtocol: 'registry-test-two' is already registered to another codec",
    );
    expect(() => registerWireProtocol(madeUp('gemini'))).toThrow(/'gemini' is already registered/);
    expect(() => registerWireProtocol(madeUp('Not A Name'))).toThrow(/is not a protocol name/);
  });

  it('names the known protocols when asked for an unknown one', () => {
    expect(() => wireCodec('openai-chatt')).toThrow(
      /^Unknown wire protocol 'openai-chatt' \(known: openai-chat, anthropic-messages, gemini.*; add one with registerWireProtocol\)$/,
    );
  });
});
