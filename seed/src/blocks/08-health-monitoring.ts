// seed edit: the guide uses these without importing or defining them (see harness/guide-backends.ts)
import { Bridge } from 'ai.matey.core';
import { anthropicBackend, openaiBackend } from '../harness/guide-backends.ts';

class ProviderHealthMonitor {
  private metrics = new Map<string, {
    responseTime: number[];
    successCount: number;
    failureCount: number;
    lastCheck: Date;
  }>();

  private alerts: any[] = [];

  async runHealthCheck(provider: string, backend: any) {
    const startTime = Date.now();

    try {
      const bridge = new Bridge({ backend });
      await bridge.execute({
        messages: [{ role: 'user', content: 'Health check' }]
      });

      const duration = Date.now() - startTime;

      // Update metrics
      const metrics = this.metrics.get(provider) || {
        responseTime: [],
        successCount: 0,
        failureCount: 0,
        lastCheck: new Date()
      };

      metrics.responseTime.push(duration);
      metrics.successCount++;
      metrics.lastCheck = new Date();

      // Keep only last 60 samples
      if (metrics.responseTime.length > 60) {
        metrics.responseTime.shift();
      }

      this.metrics.set(provider, metrics);

      // Check for alerts
      const avgResponseTime = metrics.responseTime.reduce((a, b) => a + b, 0) / metrics.responseTime.length;

      if (avgResponseTime > 2000) {
        this.alerts.push({
          type: 'high_latency',
          provider,
          avgResponseTime,
          timestamp: new Date()
        });
      }
    } catch (error) {
      const metrics = this.metrics.get(provider) || {
        responseTime: [],
        successCount: 0,
        failureCount: 0,
        lastCheck: new Date()
      };

      metrics.failureCount++;
      metrics.lastCheck = new Date();
      this.metrics.set(provider, metrics);

      this.alerts.push({
        type: 'failure',
        provider,
        error: (error as Error).message, // seed edit: strict mode types a catch variable `unknown`
        timestamp: new Date()
      });
    }
  }

  getHealthReport() {
    const report: any = { providers: {} };

    for (const [provider, metrics] of this.metrics) {
      const successRate = (metrics.successCount / (metrics.successCount + metrics.failureCount)) * 100;
      const avgResponseTime = metrics.responseTime.reduce((a, b) => a + b, 0) / metrics.responseTime.length;

      report.providers[provider] = {
        status: successRate > 90 ? 'healthy' : 'degraded',
        successRate: successRate.toFixed(2),
        avgResponseTime: avgResponseTime.toFixed(0),
        totalRequests: metrics.successCount + metrics.failureCount
      };
    }

    return report;
  }
}

// Usage
const monitor = new ProviderHealthMonitor();

setInterval(async () => {
  await monitor.runHealthCheck('openai', openaiBackend);
  await monitor.runHealthCheck('anthropic', anthropicBackend);

  const report = monitor.getHealthReport();
  console.table(report.providers);
}, 3000);

// seed edit: exported for the test
export { monitor, ProviderHealthMonitor };
