// seed edit: the guide uses these without importing them: the library's classes (its HealthMonitor is the
// guide's ProviderHealthMonitor, with runHealthCheck and runHealthChecks), and a Bridge over a Router of four
import { CostOptimizer, FailoverMiddleware, HealthMonitor as ProviderHealthMonitor } from 'ai.matey.patterns';
import { bridge } from '../harness/guide-backends.ts';

// Combine: Failover + Health Monitoring + Cost Optimization
const healthMonitor = new ProviderHealthMonitor();
const failoverMiddleware = new FailoverMiddleware({ chain: ['openai', 'anthropic', 'groq'] });
const costOptimizer = new CostOptimizer();

bridge
  .use(failoverMiddleware)
  .use(costOptimizer);

// Run health checks in background
setInterval(() => healthMonitor.runHealthChecks(), 5000);

// seed edit: exported for the test
export { costOptimizer, failoverMiddleware, healthMonitor };
