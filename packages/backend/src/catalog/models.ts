import type { ProviderCatalog } from './catalog-entry.ts';
import { anthropicModels } from './models/anthropic-models.ts';
import { bedrockModels } from './models/bedrock-models.ts';
import { cohereModels } from './models/cohere-models.ts';
import {
  deepseekModels,
  groqModels,
  hostedOpenModels,
  mistralModels,
  xaiModels,
} from './models/compatible-models.ts';
import { embeddingModels } from './models/embedding-models.ts';
import { geminiModels } from './models/gemini-models.ts';
import { openaiModels } from './models/openai-models.ts';
import { vertexModels } from './models/vertex-models.ts';

/**
 * The built-in model table, first-party providers first (a lookup without a provider takes the
 * first match, so `gpt-4o` prices as OpenAI's, not a reseller's). Local servers (Ollama, LM
 * Studio, vLLM) have no chat entries: their models are whatever the user pulled, and free (a few
 * common local embedding models are listed for their vector length).
 */
export const MODELS: readonly ProviderCatalog[] = [
  openaiModels,
  anthropicModels,
  geminiModels,
  groqModels,
  deepseekModels,
  mistralModels,
  xaiModels,
  cohereModels,
  vertexModels,
  ...hostedOpenModels,
  bedrockModels,
  ...embeddingModels,
];
