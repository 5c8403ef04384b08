import type { BuiltInWireProtocol, WireCodec } from 'ai.matey.wire';
import { mockPersonas } from './mock-personas.ts';

/** The model ids a mock upstream lists when none are configured (its persona's). */
export const defaultMockModels = Object.fromEntries(
  Object.entries(mockPersonas).map(([protocol, persona]) => [protocol, persona.models]),
) as Record<BuiltInWireProtocol, string[]>;

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
