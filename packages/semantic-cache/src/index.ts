export {
  createSemanticCacheMiddleware,
  type PromptEmbedder,
  SEMANTIC_CACHE_STATE,
  type SemanticCacheMiddleware,
  type SemanticCacheOptions,
  type SemanticCacheStats,
  type SemanticHit,
} from './semantic-cache.ts';
export { type SemanticPrompt, semanticPrompt } from './semantic-prompt.ts';
export { type NearestPrompt, VectorIndex } from './vector-index.ts';
