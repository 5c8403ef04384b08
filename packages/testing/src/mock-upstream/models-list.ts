import type { BuiltInWireProtocol, WireCodec, WireProtocol } from 'ai.matey.wire';

/** The model ids a mock upstream lists when none are configured. */
export const defaultMockModels: Record<BuiltInWireProtocol, string[]> = {
  'openai-chat': ['gpt-4o-mini', 'gpt-4o'],
  'anthropic-messages': ['claude-sonnet-4-5', 'claude-haiku-4-5'],
  gemini: ['gemini-2.5-flash', 'gemini-2.5-pro'],
};

const CREATED_SECONDS = 1_700_000_000;

/** The provider's own list-models body for these ids, in the codec's shape. */
export function modelsListBody(codec: WireCodec, models: readonly string[], owner: string): unknown {
  return codec.encodeModelList(
    models.map((id) => ({
      id,
      ownedBy: owner,
      created: CREATED_SECONDS,
      // What Gemini lists for its 2.5 models; encoders without such fields leave them out.
      contextWindow: 1_048_576,
      maxOutputTokens: 65_536,
    })),
  );
}

/** The models a mock upstream lists for a protocol when none are configured (`mock-model` for a registered one). */
export function defaultModelsOf(protocol: WireProtocol): string[] {
  return (defaultMockModels as Readonly<Record<string, string[]>>)[protocol] ?? ['mock-model'];
}
