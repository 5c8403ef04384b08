import { Router } from 'ai.matey.core';
import { OpenAIBackendAdapter, AnthropicBackendAdapter, GroqBackendAdapter, DeepSeekBackendAdapter } from 'ai.matey.backend';

// Complexity analyzer
function analyzeComplexity(query: string): number {
  let score = 0;

  // Word count (longer = more complex)
  const wordCount = query.split(/\s+/).length;
  score += Math.min(wordCount / 2, 30);

  // Keywords indicating complexity
  const complexKeywords = ['analyze', 'explain', 'compare', 'evaluate', 'synthesize'];
  const hasComplexKeyword = complexKeywords.some(kw => query.toLowerCase().includes(kw));
  if (hasComplexKeyword) score += 20;

  // Technical indicators
  if (/\d+\s*[+\-*/]\s*\d+/.test(query)) score += 15; // Math formulas
  if (/[A-Z]{2,}/.test(query)) score += 10; // Acronyms

  return Math.min(score, 100);
}

// Create backends
const groq = new GroqBackendAdapter({ apiKey: process.env.GROQ_API_KEY });
const deepseek = new DeepSeekBackendAdapter({ apiKey: process.env.DEEPSEEK_API_KEY });
const openai = new OpenAIBackendAdapter({ apiKey: process.env.OPENAI_API_KEY });
const anthropic = new AnthropicBackendAdapter({ apiKey: process.env.ANTHROPIC_API_KEY });

// Router with custom complexity-based routing
const router = new Router({
  routingStrategy: 'custom',
  customStrategy: (request) => {
    const query = request.messages[request.messages.length - 1]?.content || '';
    const complexity = analyzeComplexity(query.toString());

    if (complexity < 25) return 'groq';        // Simple: Fast & cheap
    if (complexity < 50) return 'deepseek';    // Moderate: Cost-effective
    if (complexity < 80) return 'openai';      // Complex: Powerful
    return 'anthropic';                        // Very complex: Most capable
  }
});

router.register('groq', groq);
router.register('deepseek', deepseek);
router.register('openai', openai);
router.register('anthropic', anthropic);

// seed edit: exported for the test
export { analyzeComplexity, router };
