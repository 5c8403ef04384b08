import type { BuiltInWireProtocol, WireCodec } from 'ai.matey.wire';
import { mockPersonas } from './mock-personas.ts';

/** The model ids a mock upstream lists when none are configured. */
export const defaultMockModels: Record<BuiltInWireProtocol, string[]> = {
  'openai-chat': mockPersonas['openai-chat'].models,
  'anthropic-messages': mockPersonas['anthropic-messages'].models,
  gemini: mockPersonas.gemini.models,
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
