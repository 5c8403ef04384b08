// ai.matey.middleware without its optional peer gpt-tokenizer: token counts fall back to the estimate.
import { estimateInputTokens } from 'ai.matey.middleware';

const estimate = await estimateInputTokens({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Hello there' }],
});
console.log(JSON.stringify(estimate));
