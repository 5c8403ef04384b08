// Provider pricing (per 1K tokens)
const PRICING: Record<string, number> = { // seed edit: strict mode refuses PRICING[provider] for a string provider
  deepseek: 0.0002,
  groq: 0.00027,
  anthropic: 0.0008,  // Haiku
  openai: 0.0015      // GPT-3.5
};

// Quality tiers
const QUALITY_TIERS = {
  low: ['deepseek'],
  medium: ['deepseek', 'groq'],
  high: ['groq', 'anthropic', 'openai'],
  ultra: ['anthropic', 'openai']
};

function estimateTokens(prompt: string): number {
  // Simple estimation: ~4 chars per token
  return Math.ceil((prompt.length + 200) / 4); // +200 for response
}

function selectCheapestProvider(prompt: string, qualityTier: keyof typeof QUALITY_TIERS) {
  const estimatedTokens = estimateTokens(prompt);
  const eligibleProviders = QUALITY_TIERS[qualityTier];

  let cheapest = eligibleProviders[0];
  let lowestCost = PRICING[cheapest] * estimatedTokens / 1000;

  for (const provider of eligibleProviders) {
    const cost = PRICING[provider] * estimatedTokens / 1000;
    if (cost < lowestCost) {
      cheapest = provider;
      lowestCost = cost;
    }
  }

  return { provider: cheapest, estimatedCost: lowestCost };
}

// Usage
const { provider, estimatedCost } = selectCheapestProvider(
  'What is the capital of France?',
  'medium'
);

console.log(`Using ${provider} (estimated cost: $${estimatedCost.toFixed(6)})`);

// seed edit: exported for the test (and the cost-optimized batch snippet)
export { estimateTokens, selectCheapestProvider };
