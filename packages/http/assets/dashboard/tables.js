/** Tables and small lists of the dashboard, built with DOM nodes and textContent only. */

/** A table cell: text, or a badge `{ badge, tone }`. */
function cell(value, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  if (value && typeof value === 'object' && 'badge' in value) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.dataset.tone = value.tone;
    badge.textContent = value.badge;
    td.append(badge);
  } else td.textContent = value === null || value === undefined ? '–' : String(value);
  return td;
}

/** Fills `table` with a header row and one row per entry of `rows` (arrays of cells). */
export function fillTable(table, headers, rows, rowData = () => ({})) {
  const head = document.createElement('tr');
  for (const name of headers) {
    const th = document.createElement('th');
    th.textContent = name;
    head.append(th);
  }
  const body = rows.map((cells, index) => {
    const tr = document.createElement('tr');
    Object.assign(tr.dataset, rowData(index));
    for (const value of cells) tr.append(value instanceof Node ? wrap(value) : cell(value));
    return tr;
  });
  table.replaceChildren(head, ...body);
}

function wrap(node) {
  const td = document.createElement('td');
  td.append(node);
  return td;
}

const HEALTH_TONES = { healthy: 'ok', probing: 'warn', degraded: 'warn', down: 'bad' };
const CIRCUIT_TONES = { closed: 'ok', 'half-open': 'warn', open: 'bad', none: 'ok' };

export function renderProviders(table, providers) {
  fillTable(
    table,
    ['provider', 'health', 'circuit', 'failures in a row', 'ok / failed (all)', 'recent calls'],
    providers.map((p) => [
      p.name,
      { badge: p.health, tone: HEALTH_TONES[p.health] },
      { badge: p.circuit, tone: CIRCUIT_TONES[p.circuit] },
      p.consecutiveFailures,
      `${p.totalSuccesses} / ${p.totalFailures}`,
      p.recentCalls === 0 ? '–' : `${p.recentCalls} (${p.recentFailures} failed)`,
    ]),
    (index) => ({ provider: providers[index].name }),
  );
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const usd = (value) => (value === null ? null : `$${value.toFixed(6)}`);
const ms = (value) => (value === null ? null : Math.round(value));

export function renderRecent(table, calls, contentLogging) {
  const headers = [
    'time',
    'request id',
    'key',
    'team',
    'provider',
    'model',
    'status',
    'ms',
    'TTFT ms',
    'tokens in/out',
    'cost',
  ];
  fillTable(
    table,
    contentLogging ? [...headers, 'prompt'] : headers,
    calls.map((call) => {
      const status =
        call.status === 'failed'
          ? { badge: call.errorKind ?? 'failed', tone: 'bad' }
          : {
              badge: call.embedding
                ? `${call.status} (embed)`
                : call.streamed
                  ? `${call.status} (stream)`
                  : call.status,
              tone: call.status === 'ok' ? 'ok' : 'warn',
            };
      const cells = [
        clock.format(call.at),
        call.requestId,
        call.keyId,
        call.teamId,
        call.provider,
        call.model,
        status,
        ms(call.latencyMs),
        ms(call.firstEventMs),
        call.inputTokens === null ? null : `${call.inputTokens} / ${call.outputTokens ?? 0}`,
        usd(call.costUsd),
      ];
      return contentLogging ? [...cells, call.prompt ?? ''] : cells;
    }),
    (index) => ({ requestId: calls[index].requestId ?? '' }),
  );
}

export function renderErrorTotals(list, totals) {
  const entries = Object.entries(totals).sort((a, b) => b[1] - a[1]);
  list.replaceChildren(
    ...entries.map(([kind, count]) => {
      const item = document.createElement('li');
      item.textContent = `${kind}: ${count}`;
      return item;
    }),
  );
}

export function renderSpend(table, groupBy, groups) {
  fillTable(
    table,
    [groupBy, 'requests', 'tokens in', 'tokens out', 'cost USD'],
    groups.map((g) => [g.group ?? 'none', g.requests, g.inputTokens, g.outputTokens, g.costUsd.toFixed(6)]),
  );
}
