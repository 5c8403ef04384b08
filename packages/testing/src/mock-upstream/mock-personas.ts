import type { BuiltInWireProtocol, WireProtocol } from 'ai.matey.wire';

/** How a mock upstream of one protocol passes for the provider behind it. */
export interface MockPersona {
  /** The provider named in its replies and errors. */
  provider: string;
  /** The models it lists when none are configured; the first is its default. */
  models: string[];
  /** The prefixes of its response and tool-call ids (`chatcmpl-mock0`, `call_mock_0_1`). */
  idPrefixes: { response: string; toolCall: string };
  /** What it says when a prompt is too long: clients recognise the error by these words. */
  contextLengthMessage?: string;
}

/**
 * The provider each built-in protocol's mock stands in for. The one table of the mock upstream
 * keyed by protocol: data, not behaviour (routing, bodies and errors come from the codec). A
 * registered protocol without an entry gets `personaOf`'s neutral one.
 */
export const mockPersonas: Readonly<Record<BuiltInWireProtocol, MockPersona>> = {
  'openai-chat': {
    provider: 'openai',
    models: ['gpt-4o-mini', 'gpt-4o'],
    idPrefixes: { response: 'chatcmpl-mock', toolCall: 'call_mock' },
  },
  'anthropic-messages': {
    provider: 'anthropic',
    models: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
    idPrefixes: { response: 'msg_mock', toolCall: 'toolu_mock' },
    contextLengthMessage: 'prompt is too long: 210000 tokens > 200000 maximum',
  },
  gemini: {
    provider: 'google',
    models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
    idPrefixes: { response: 'mock', toolCall: 'mock_call' },
    contextLengthMessage:
      'The input token count (1100000) exceeds the maximum number of tokens allowed (1048576).',
  },
  cohere: {
    provider: 'cohere',
    models: ['command-a-03-2025', 'command-r-plus-08-2024'],
    idPrefixes: { response: 'mock', toolCall: 'call_mock' },
    contextLengthMessage:
      'too many tokens: total number of tokens in the prompt cannot exceed 256000 - received 260000',
  },
  'openai-responses': {
    provider: 'openai',
    models: ['gpt-5-mini', 'gpt-4o-mini'],
    idPrefixes: { response: 'resp_mock', toolCall: 'call_mock' },
  },
};

/** The persona of a protocol's mock: its entry, or one named after the protocol. */
export function personaOf(protocol: WireProtocol): MockPersona {
  return (
    (mockPersonas as Readonly<Record<string, MockPersona>>)[protocol] ?? {
      provider: protocol,
      models: ['mock-model'],
      idPrefixes: { response: 'mock', toolCall: 'call_mock' },
    }
  );
}
