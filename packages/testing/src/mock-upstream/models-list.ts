import type { BuiltInWireProtocol } from 'ai.matey.wire';

/** The model ids a mock upstream lists when none are configured. */
export const defaultMockModels: Record<BuiltInWireProtocol, string[]> = {
  'openai-chat': ['gpt-4o-mini', 'gpt-4o'],
  'anthropic-messages': ['claude-sonnet-4-5', 'claude-haiku-4-5'],
  gemini: ['gemini-2.5-flash', 'gemini-2.5-pro'],
};

const CREATED_SECONDS = 1_700_000_000;

/** The provider's own list-models body for these ids. */
export function modelsListBody(
  protocol: BuiltInWireProtocol,
  models: readonly string[],
  owner: string,
): unknown {
  if (protocol === 'anthropic-messages') {
    return {
      data: models.map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: new Date(CREATED_SECONDS * 1000).toISOString(),
      })),
      has_more: false,
      first_id: models[0] ?? null,
      last_id: models[models.length - 1] ?? null,
    };
  }
  if (protocol === 'gemini') {
    return {
      models: models.map((id) => ({
        name: `models/${id}`,
        version: '001',
        displayName: id,
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: ['generateContent', 'countTokens'],
      })),
    };
  }
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: CREATED_SECONDS, owned_by: owner })),
  };
}
