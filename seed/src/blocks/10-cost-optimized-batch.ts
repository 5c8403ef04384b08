// seed edit: the guide uses these without importing or defining them: the library's BatchProcessor, pattern 4's
// selectCheapestProvider, and requests that carry the `prompt` it reads (pattern 6's have none), run through a
// Bridge over a Router of four that honours the chosen provider
import { BatchProcessor } from 'ai.matey.patterns';
import { bridge } from '../harness/guide-backends.ts';
import { selectCheapestProvider } from './04-cost-optimized-selection.ts';
const requests = ['What is the capital of France?', 'Spell necessary.', 'Is 17 prime?'].map((prompt) => ({ prompt }));
const executeRequest = (req: { prompt: string; provider: string }) =>
  bridge.execute({ messages: [{ role: 'user', content: req.prompt }], metadata: { provider: req.provider } });

// Combine: Cost Optimization + Batch Processing + Rate Limiting
const processor = new BatchProcessor({ concurrency: 5, rateLimit: { maxRequests: 20, perMinutes: 1 } });

const optimizedRequests = requests.map(req => ({
  ...req,
  provider: selectCheapestProvider(req.prompt, 'medium').provider
}));

await processor.process(optimizedRequests, executeRequest);

// seed edit: exported for the test
export { optimizedRequests, processor };
