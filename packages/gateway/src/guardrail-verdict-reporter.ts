import type { GatewayMetrics } from 'ai.matey.http';
import type { GuardrailVerdictEvent } from 'ai.matey.middleware';
import type { BuildOptions } from './build-gateway.ts';
import type { GatewayConfig } from './config-schema.ts';

/** pino's level numbers, so these lines sort and filter with the call log's. */
const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/**
 * Where guardrail verdicts go: every one is counted in `/metrics`
 * (`matey_guardrail_verdicts_total{guardrail,phase,verdict}`), and each flag, block and rewrite
 * is a JSON log line (unless logging is off) naming the check, the phase, the reason, the request
 * id, the model and the key id; never the text. `metrics` is set once the gateway exists.
 */
export function guardrailVerdictReporter(config: GatewayConfig, options: BuildOptions) {
  const sink: { metrics: GatewayMetrics | undefined } = { metrics: undefined };
  const destination = options.logDestination ?? process.stdout;
  const { logging } = config.middleware;
  const report = (event: GuardrailVerdictEvent): void => {
    sink.metrics?.recordGuardrailVerdict(event.guardrail, event.phase, event.verdict);
    const level = event.verdict === 'rewrite' ? LEVELS.info : LEVELS.warn;
    if (logging === false || event.verdict === 'pass' || level < LEVELS[logging.level]) return;
    const line = {
      level,
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
