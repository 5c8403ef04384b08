// seed edit: the guide uses these without importing or defining them (see harness/guide-backends.ts)
import { Bridge } from 'ai.matey.core';
import { openaiBackend } from '../harness/guide-backends.ts';

class BatchProcessor {
  private queue: any[] = [];
  private processing = 0;
  private requestTimes: number[] = [];

  constructor(
    private config: {
      concurrency: number;
      rateLimit: { maxRequests: number; perMinutes: number };
    }
  ) {}

  async process(requests: any[], executor: (req: any) => Promise<any>) {
    this.queue = [...requests];
    const results: any[] = [];

    while (this.queue.length > 0 || this.processing > 0) {
      // Check rate limit
      if (this.canMakeRequest() && this.processing < this.config.concurrency) {
        const request = this.queue.shift();
        if (!request) break;

        this.processing++;

        // Execute (don't await - parallel processing)
        executor(request)
          .then(result => {
            results.push({ success: true, result });
            this.processing--;
            this.recordRequest();
          })
          .catch(error => {
            results.push({ success: false, error });
            this.processing--;
            this.recordRequest();
          });
      } else {
        // Wait before checking again
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }

    return results;
  }

  private canMakeRequest(): boolean {
    const now = Date.now();
    const windowMs = this.config.rateLimit.perMinutes * 60 * 1000;

    // Remove old requests outside window
    this.requestTimes = this.requestTimes.filter(t => now - t < windowMs);

    return this.requestTimes.length < this.config.rateLimit.maxRequests;
  }

  private recordRequest() {
    this.requestTimes.push(Date.now());
  }
}

// Usage
const processor = new BatchProcessor({
  concurrency: 3,
  rateLimit: { maxRequests: 10, perMinutes: 1 }
});

const requests = Array(15).fill(null).map((_, i) => ({
  messages: [{ role: 'user', content: `Request ${i + 1}` }]
}));

const results = await processor.process(requests, async (req) => {
  const bridge = new Bridge({ backend: openaiBackend });
  return await bridge.execute(req);
});

console.log(`Completed: ${results.filter(r => r.success).length}/${results.length}`);

// seed edit: exported for the test
export { BatchProcessor, processor, results };
