import { createHealthMonitor, type HealthAlert, type HealthReport } from 'ai.matey.patterns';
import { FLEET_PROVIDERS } from './fleet-backends.ts';
import type { PatternContext, PatternOutcome } from './pattern-result.ts';
import { formatMs, formatPct, sleep } from './stats.ts';
import { formatTable } from './text-table.ts';

export interface HealthMonitoringResult extends PatternOutcome {
  durationMs: number;
  intervalMs: number;
  report: HealthReport;
  alerts: HealthAlert[];
  /** Probes made, over every provider. */
  probes: number;
}

/**
 * Pattern 8: `createHealthMonitor` probes the flaky fleet on an interval with a real chat call
 * (as the seed's `runHealthCheck` did) and keeps, per provider, a status, a success rate and
 * latency percentiles; alerts fire on changes. The seed's 2 s latency threshold is scaled with
 * the time scale, so "slow" means the same as at real speed.
 */
export async function runHealthMonitoring(context: PatternContext): Promise<HealthMonitoringResult> {
  const { backends } = context.flaky;
  // Long enough for a few probes of the slowest provider (deepseek takes ~3 s at real speed).
  const durationMs = Math.max(context.quick ? 1500 : 4000, 8000 * context.timeScale);
  const intervalMs = 200;
  const highLatencyMs = 2000 * context.timeScale;
  const monitor = createHealthMonitor({
    backends: Object.fromEntries(FLEET_PROVIDERS.map((name) => [name, backends[name]])),
    intervalMs,
    probe: (backend, { signal }) =>
      backend.execute(
        { messages: [{ role: 'user', content: 'Health check' }], maxOutputTokens: 1 },
        { signal },
      ),
    probeTimeoutMs: Math.max(1000, 10_000 * context.timeScale),
    thresholds: { highLatencyMs },
  });
  let probes = 0;
  monitor.on('sample', ({ sample }) => {
    if (sample.source === 'probe') probes++;
  });
  monitor.start();
  await sleep(durationMs);
  monitor.stop();
  const report = monitor.getHealthReport();
  const alerts = monitor.alerts();

  const rows = Object.entries(report.providers).map(([provider, health]) => [
    provider,
    health.status,
    formatPct(health.successRate),
    String(health.totalRequests),
    formatMs(health.latency?.p50 ?? Number.NaN),
    formatMs(health.latency?.p95 ?? Number.NaN),
    health.lastError ?? '',
  ]);
  const byType = countBy(alerts.map((a) => a.type));
  const statuses = countBy(Object.values(report.providers).map((p) => p.status));
  const alertLines = alerts
    .slice(0, 8)
    .map((a) => `  ${a.at.slice(11, 23)} ${a.type} ${a.provider}: ${a.message}`);
  if (alerts.length > alertLines.length) alertLines.push(`  … and ${alerts.length - alertLines.length} more`);
  return {
    durationMs,
    intervalMs,
    report,
    alerts,
    probes,
    details: [
      formatTable(['provider', 'status', 'success', 'samples', 'p50', 'p95', 'last error'], rows, {
        maxWidth: [9, 9, 7, 7, 8, 8, 40],
        alignRight: [2, 3, 4, 5],
      }),
      `${probes} probes in ${formatMs(durationMs)} (every ${intervalMs} ms; a provider still answering is not probed again). ` +
        `High-latency threshold ${formatMs(highLatencyMs)} (the guide's 2 s at time scale ${context.timeScale}).`,
      `Alerts (${alerts.length}): ${
        Object.entries(byType)
          .map(([type, n]) => `${type} ${n}`)
          .join(', ') || 'none'
      }`,
      ...alertLines,
    ],
    summary: {
      ran: `active probes of 4 flaky providers every ${intervalMs} ms for ${formatMs(durationMs)}`,
      measured:
        `${probes} probes; ${Object.entries(statuses)
          .map(([status, n]) => `${n} ${status}`)
          .join(', ')}; ` +
        `${alerts.length} alert${alerts.length === 1 ? '' : 's'} (${
          Object.entries(byType)
            .map(([type, n]) => `${type} ${n}`)
            .join(', ') || 'none'
        })`,
      ok: probes > 0 && Object.values(report.providers).every((p) => p.totalRequests > 0),
    },
  };
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
