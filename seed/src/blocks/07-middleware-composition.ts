import { Middleware } from 'ai.matey.core';
// seed edit: the guide uses these without importing or defining them (see harness/guide-backends.ts)
import { Bridge } from 'ai.matey.core';
import { openaiBackend } from '../harness/guide-backends.ts';

// 1. Validation Middleware
class ValidationMiddleware implements Middleware {
  async execute(request: any, next: any) {
    if (!request.model) {
      throw new Error('Missing required field: model');
    }
    if (!request.messages || request.messages.length === 0) {
      throw new Error('Missing required field: messages');
    }

    return next(request);
  }
}

// 2. Rate Limiting Middleware
class RateLimitMiddleware implements Middleware {
  private requests = new Map<string, number[]>();

  constructor(private maxPerMinute: number) {}

  async execute(request: any, next: any) {
    const userId = request.metadata?.userId || 'default';
    const now = Date.now();

    const userRequests = this.requests.get(userId) || [];
    const recentRequests = userRequests.filter(t => now - t < 60000);

    if (recentRequests.length >= this.maxPerMinute) {
      throw new Error('Rate limit exceeded');
    }

    recentRequests.push(now);
    this.requests.set(userId, recentRequests);

    return next(request);
  }
}

// 3. Response Formatting Middleware
class FormattingMiddleware implements Middleware {
  async execute(request: any, next: any) {
    const response = await next(request);

    // Standardize response format
    return {
      ...response,
      metadata: {
        ...response.metadata,
        formatted: true,
        timestamp: new Date().toISOString()
      }
    };
  }
}

// Compose middleware
const bridge = new Bridge({ backend: openaiBackend });

bridge
  .use(new ValidationMiddleware())
  .use(new RateLimitMiddleware(10))
  .use(new FormattingMiddleware());

// seed edit: exported for the test
export { bridge, FormattingMiddleware, RateLimitMiddleware, ValidationMiddleware };
