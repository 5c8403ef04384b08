import type { GatewayMetrics } from 'ai.matey.http';
import type { GuardrailVerdictEvent } from 'ai.matey.middleware';
import type { BuildOptions } from './build-gateway.ts';
import type { GatewayConfig } from './config-schema.ts';

/** pino's level numbers, so these lines sort with the call log's. */
const LEVELS = { info: 30, warn: 40 } as const;

/**
 * Where guardrail verdicts go: every one is counted in `/metrics`
 * (`matey_guardrail_verdicts_total{guardrail,phase,verdict}`), and each flag, block and rewrite
 * is a JSON log line (unless logging is off) naming the check, the phase, the reason, the request
 * id, the model and the key id; never the text. `metrics` is set once the gateway exists.
 */
export function guardrailVerdictReporter(config: GatewayConfig, options: BuildOptions) {
  const sink: { metrics: GatewayMetrics | undefined } = { metrics: undefined };
  const destination = options.logDestination ?? process.stdout;
  const logs = config.middleware.logging !== false;
  const report = (event: GuardrailVerdictEvent): void => {
    sink.metrics?.recordGuardrailVerdict(event.guardrail, event.phase, event.verdict);
    if (!logs || event.verdict === 'pass') return;
    const line = {
      level: event.verdict === 'rewrite' ? LEVELS.info : LEVELS.warn,
      time: Date.now(),
      msg: `guardrail ${event.guardrail} ${event.verdict} (${event.phase})`,
      guardrail: event.guardrail,
      phase: event.phase,
      verdict: event.verdict,
      reason: event.reason,
      requestId: event.requestId,
      model: event.model,
      key: event.keyId,
    };
    destination.write(`${JSON.stringify(line)}\n`);
  };
  return { sink, report };
}
