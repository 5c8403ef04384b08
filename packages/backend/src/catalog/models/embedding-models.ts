import { type ModelSpec, model, type PricingSource, type ProviderCatalog } from '../catalog-entry.ts';

const unverified =
  'List prices per million input tokens as commonly published; not read from the official page here. ' +
  'Check before relying on them for billing.';

/** An embedding model: priced by input tokens only, with its vectors' length. */
function embedder(
  provider: string,
  id: string,
  price: number,
  dimensions: number,
  extra: Pick<ModelSpec, 'aliases' | 'context'> & { flexible?: boolean } = {},
) {
  const { flexible, ...rest } = extra;
  return model(provider, id, {
    ...rest,
    price: [price, 0],
    embedding: flexible ? { dimensions, flexibleDimensions: true } : { dimensions },
  });
}

const source = (url: string): PricingSource => ({ url, retrieved: '2026-12-07', note: unverified });

/**
 * The embedding models of the providers that serve them: vector length, whether a shorter one may
 * be asked for (`dimensions`), and the price of a million input tokens.
 */
export const embeddingModels: readonly ProviderCatalog[] = [
  {
    provider: 'openai',
    pricingSource: source('https://platform.openai.com/docs/pricing'),
    models: [
      embedder('openai', 'text-embedding-3-small', 0.02, 1536, { context: 8191, flexible: true }),
      embedder('openai', 'text-embedding-3-large', 0.13, 3072, { context: 8191, flexible: true }),
      embedder('openai', 'text-embedding-ada-002', 0.1, 1536, { context: 8191 }),
    ],
  },
  {
    provider: 'gemini',
    pricingSource: source('https://ai.google.dev/gemini-api/docs/pricing'),
    models: [
      embedder('gemini', 'gemini-embedding-001', 0.15, 3072, { context: 2048, flexible: true }),
      embedder('gemini', 'text-embedding-004', 0, 768, { context: 2048, flexible: true }),
    ],
  },
  {
    provider: 'cohere',
    pricingSource: source('https://cohere.com/pricing'),
    models: [
      embedder('cohere', 'embed-v4.0', 0.12, 1536, { context: 128_000, flexible: true }),
      embedder('cohere', 'embed-english-v3.0', 0.1, 1024, { context: 512 }),
      embedder('cohere', 'embed-multilingual-v3.0', 0.1, 1024, { context: 512 }),
      embedder('cohere', 'embed-english-light-v3.0', 0.1, 384, { context: 512 }),
    ],
  },
  {
    provider: 'voyage',
    pricingSource: source('https://docs.voyageai.com/docs/pricing'),
    models: [
      embedder('voyage', 'voyage-3.5', 0.06, 1024, { context: 32_000, flexible: true }),
      embedder('voyage', 'voyage-3.5-lite', 0.02, 1024, { context: 32_000, flexible: true }),
      embedder('voyage', 'voyage-3-large', 0.18, 1024, { context: 32_000, flexible: true }),
      embedder('voyage', 'voyage-code-3', 0.18, 1024, { context: 32_000, flexible: true }),
    ],
  },
  {
    provider: 'mistral',
    pricingSource: source('https://mistral.ai/pricing'),
    models: [
      embedder('mistral', 'mistral-embed', 0.1, 1024, { context: 8192 }),
      embedder('mistral', 'codestral-embed', 0.15, 1536, { context: 8192, flexible: true }),
    ],
  },
  {
    // Vertex bills text-embedding-005 and text-multilingual-embedding-002 per 1,000 characters
    // ($0.000025); the token price here takes four characters a token.
    provider: 'vertex',
    pricingSource: source('https://cloud.google.com/vertex-ai/generative-ai/pricing'),
    models: [
      embedder('vertex', 'text-embedding-005', 0.1, 768, { context: 2048, flexible: true }),
      embedder('vertex', 'text-multilingual-embedding-002', 0.1, 768, { context: 2048, flexible: true }),
      embedder('vertex', 'gemini-embedding-001', 0.15, 3072, { context: 2048, flexible: true }),
    ],
  },
  {
    // On-demand, us-east-1. Titan v2 takes 1024, 512 or 256 dimensions.
    provider: 'bedrock',
    pricingSource: source('https://aws.amazon.com/bedrock/pricing/'),
    models: [
      embedder('bedrock', 'amazon.titan-embed-text-v2:0', 0.02, 1024, { context: 8192, flexible: true }),
      embedder('bedrock', 'cohere.embed-english-v3', 0.1, 1024, { context: 512 }),
      embedder('bedrock', 'cohere.embed-multilingual-v3', 0.1, 1024, { context: 512 }),
    ],
  },
  {
    // Local models cost nothing; listed for their vector length.
    provider: 'ollama',
    pricingSource: { url: 'https://ollama.com/library', retrieved: '2026-12-07', note: 'Local: free.' },
    models: [
      embedder('ollama', 'nomic-embed-text', 0, 768, { context: 8192 }),
      embedder('ollama', 'mxbai-embed-large', 0, 1024, { context: 512 }),
      embedder('ollama', 'all-minilm', 0, 384, { context: 512 }),
    ],
  },
];
