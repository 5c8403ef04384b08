import { Bridge } from 'ai.matey.core';
import { OpenAIBackendAdapter, AnthropicBackendAdapter, GroqBackendAdapter } from 'ai.matey.backend';
import { EventEmitter } from 'events';

class ParallelAggregator extends EventEmitter {
  async executeParallel(request: any, backends: any[]) {
    const startTime = Date.now();

    // Execute all backends in parallel
    const promises = backends.map(async (backend, index) => {
      const bridge = new Bridge({ backend });
      const providerName = backend.metadata.name;

      try {
        const response = await bridge.execute(request);
        const duration = Date.now() - startTime;

        this.emit('response', {
          provider: providerName,
          response,
          duration,
          success: true
        });

        return { provider: providerName, response, success: true };
      } catch (error) {
        this.emit('error', {
          provider: providerName,
          error: (error as Error).message // seed edit: strict mode types a catch variable `unknown`
        });

        return { provider: providerName, error, success: false };
      }
    });

    // Wait for all to complete (graceful failure handling)
    const results = await Promise.allSettled(promises);

    return results.map(r => r.status === 'fulfilled' ? r.value : { success: false });
  }
}

// Usage
const aggregator = new ParallelAggregator();

aggregator.on('response', ({ provider, response, duration }) => {
  console.log(`${provider}: ${response.content} (${duration}ms)`);
});

const backends = [
  new OpenAIBackendAdapter({ apiKey: process.env.OPENAI_API_KEY }),
  new AnthropicBackendAdapter({ apiKey: process.env.ANTHROPIC_API_KEY }),
  new GroqBackendAdapter({ apiKey: process.env.GROQ_API_KEY })
];

const results = await aggregator.executeParallel({
  messages: [{ role: 'user', content: 'What is AI?' }]
}, backends);

// seed edit: exported for the test
export { aggregator, backends, results };
