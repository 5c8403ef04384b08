import type { FixedRateRun } from '../scenarios/fixed-rate.ts';

const COLORS: Record<string, string> = { direct: '#2b8a3e', floor: '#1c7ed6', gateway: '#e8590c' };
const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { left: 84, right: 170, top: 40, bottom: 56 };

/**
 * Latency (p50 solid, p99 dashed; log scale) against offered load (log scale) for direct, floor
 * and gateway, as a self-contained SVG.
 */
export function latencyVsLoadSvg(runs: FixedRateRun[], title: string): string {
  const rates = [...new Set(runs.map((run) => run.offeredRate))].sort((a, b) => a - b);
  const latencies = runs.flatMap((run) => [run.latency.p50, run.latency.p99]).filter((value) => value > 0);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const minRate = rates[0] ?? 1;
  const maxRate = rates.at(-1) ?? 10;
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.01, Math.min(...latencies, 1))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...latencies, 1)));
  const x = (rate: number) =>
    MARGIN.left +
    (maxRate === minRate
      ? plotWidth / 2
      : (Math.log(rate / minRate) / Math.log(maxRate / minRate)) * plotWidth);
  const y = (ms: number) =>
    MARGIN.top + plotHeight - (Math.log(Math.max(ms, yMin) / yMin) / Math.log(yMax / yMin)) * plotHeight;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
  );
  for (let decade = yMin; decade <= yMax * 1.0001; decade *= 10) {
    const py = y(decade).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${py}" y2="${py}" stroke="#e9ecef"/>`,
      `<text x="${MARGIN.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${formatMs(decade)}</text>`,
    );
  }
  for (const rate of rates) {
    const px = x(rate).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#f1f3f5"/>`,
      `<text x="${px}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${rate}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#adb5bd"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">offered load (requests/s, evenly spaced; log scale)</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">latency from due time (ms, log scale)</text>`,
  );
  let legendY = MARGIN.top + 10;
  for (const path of ['direct', 'floor', 'gateway']) {
    const color = COLORS[path] ?? '#000';
    const points = runs.filter((run) => run.path === path).sort((a, b) => a.offeredRate - b.offeredRate);
    if (points.length === 0) continue;
    for (const [key, dash] of [
      ['p50', ''],
      ['p99', ' stroke-dasharray="6 4"'],
    ] as const) {
      const d = points
        .map(
          (run, i) =>
            `${i === 0 ? 'M' : 'L'}${x(run.offeredRate).toFixed(1)},${y(run.latency[key]).toFixed(1)}`,
        )
        .join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
      for (const run of points) {
        parts.push(
          `<circle cx="${x(run.offeredRate).toFixed(1)}" cy="${y(run.latency[key]).toFixed(1)}" r="3" fill="${color}"><title>${path} ${key} at ${run.offeredRate}/s: ${run.latency[key]} ms</title></circle>`,
        );
      }
      const lx = MARGIN.left + plotWidth + 16;
      parts.push(
        `<line x1="${lx}" x2="${lx + 28}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2"${dash}/>`,
        `<text x="${lx + 36}" y="${legendY}" dominant-baseline="middle">${path} ${key}</text>`,
      );
      legendY += 20;
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function formatMs(ms: number): string {
  return ms >= 1 ? `${ms} ms` : `${ms.toFixed(Math.max(0, -Math.floor(Math.log10(ms))))} ms`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
