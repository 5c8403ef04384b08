import { timeChart } from './charts.js';
import { liveEvents } from './event-stream.js';
import { keyManager } from './keys.js';
import { renderErrorTotals, renderProviders, renderRecent, renderSpend } from './tables.js';

/**
 * The dashboard page: sign in with the admin key (kept in this tab's sessionStorage, sent as a
 * bearer header), then one live stream of snapshots (`/dashboard/events`) drives the charts and
 * tables; keys and the spend log go through the admin API.
 */
const STORAGE = 'matey-admin-key';
const $ = (id) => document.getElementById(id);
const state = {
  key: sessionStorage.getItem(STORAGE),
  stop: undefined,
  spendTimer: undefined,
  costGroup: 'key',
  last: undefined,
};
const charts = {};
/** What the page draws, for its tests and for the curious: `window.dashboard`. */
window.dashboard = { charts, snapshot: () => state.last };

async function api(method, path, body) {
  const response = await fetch(`/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${state.key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const reply = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(reply.error?.message ?? `The admin API answered ${response.status}`);
  return reply;
}

function setLive(text) {
  $('live').dataset.state = text;
  $('live').textContent = text;
}

function fixed(value, digits = 0) {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

function draw(snapshot) {
  state.last = snapshot;
  const { series, summary } = snapshot;
  $('stat-rps').textContent = fixed(summary.requestsPerSecond, 1);
  $('stat-p50').textContent = fixed(summary.latencyP50);
  $('stat-p95').textContent = fixed(summary.latencyP95);
  $('stat-p99').textContent = fixed(summary.latencyP99);
  $('stat-ttft').textContent = fixed(summary.firstEventP50);
  $('stat-errors').textContent = `${fixed(summary.errorRate * 100, 1)}%`;
  $('stat-total').textContent = String(snapshot.requestsTotal);
  charts.rps.update(series.t, [
    { label: 'requests', values: series.requests },
    { label: 'errors', values: series.errors },
  ]);
  charts.latency.update(series.t, [
    { label: 'p50', values: series.latencyP50 },
    { label: 'p95', values: series.latencyP95 },
    { label: 'p99', values: series.latencyP99 },
  ]);
  const streamed = series.firstEventP50.some((value) => value !== null);
  charts.ttft.update(
    series.t,
    [
      { label: 'p50', values: series.firstEventP50 },
      { label: 'p95', values: series.firstEventP95 },
    ],
    streamed ? '' : 'No streamed calls in this window.',
  );
  const kinds = Object.entries(snapshot.errorsByKind);
  charts.errors.update(
    series.t,
    kinds.map(([label, values]) => ({ label, values })),
    kinds.length ? '' : 'No errors in this window.',
  );
  renderErrorTotals($('error-totals'), snapshot.errorTotals);
  const groups = Object.entries(snapshot.cost[state.costGroup] ?? {});
  charts.cost.update(
    series.t,
    groups.map(([label, values]) => ({ label, values })),
    groups.length ? '' : 'No priced calls in this window.',
  );
  renderProviders($('providers'), snapshot.providers);
  renderRecent($('recent'), snapshot.recent, snapshot.contentLogging);
}

async function loadSpend() {
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const reply = await api('GET', `/spend?groupBy=${state.costGroup}&from=${encodeURIComponent(from)}`);
  renderSpend($('spend-table'), reply.groupBy, reply.data);
}

function signOut(message = '') {
  state.stop?.();
  clearInterval(state.spendTimer);
  state.key = null;
  sessionStorage.removeItem(STORAGE);
  $('board').hidden = true;
  $('sign-out').hidden = true;
  $('window').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  setLive('offline');
}

async function start() {
  // One plain request first: a wrong key is told at once, not by a stream that keeps retrying.
  const response = await fetch(`/dashboard/api/snapshot?window=${$('window').value}`, {
    headers: { authorization: `Bearer ${state.key}` },
  });
  if (response.status === 401) return signOut('That is not the admin key.');
  if (!response.ok) return signOut(`The gateway answered ${response.status}.`);
  const snapshot = await response.json();
  sessionStorage.setItem(STORAGE, state.key);
  $('login').hidden = true;
  $('board').hidden = false;
  $('sign-out').hidden = false;
  $('window').hidden = false;
  for (const name of ['rps', 'latency', 'ttft', 'errors'])
    charts[name] ??= timeChart($(`chart-${name}`), {
      fill: name === 'rps',
      counts: name === 'rps' || name === 'errors',
    });
  charts.cost ??= timeChart($('chart-cost'), { decimals: 4 });
  draw(snapshot);
  if (snapshot.keyManagement) startKeyManagement();
  listen();
}

/** The live stream of snapshots for the chosen window (restarted when it changes). */
function listen() {
  state.stop?.();
  state.stop = liveEvents(`/dashboard/events?window=${$('window').value}`, state.key, {
    onEvent: (name, data) => name === 'snapshot' && draw(JSON.parse(data)),
    onState: (live) => (live === 'refused' ? signOut('The admin key was refused.') : setLive(live)),
  });
}

let keys;
function startKeyManagement() {
  $('keys-card').hidden = false;
  $('spend-log').hidden = false;
  const fail = (error) => {
    $('key-error').textContent = error.message;
  };
  keys ??= keyManager({
    form: $('key-form'),
    table: $('keys'),
    secret: $('key-secret'),
    error: $('key-error'),
    api,
  });
  keys.refresh().catch(fail);
  loadSpend().catch(fail);
  clearInterval(state.spendTimer);
  state.spendTimer = setInterval(() => loadSpend().catch(fail), 10_000);
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.key = $('admin-key').value.trim();
  $('admin-key').value = '';
  start().catch((error) => signOut(error.message));
});
$('sign-out').addEventListener('click', () => signOut());
$('window').addEventListener('change', () => state.key && !$('board').hidden && listen());
$('cost-group').addEventListener('change', (event) => {
  state.costGroup = event.target.value;
  if (state.last) draw(state.last);
  if (state.last?.keyManagement) loadSpend().catch(() => {});
});
if (state.key) start().catch((error) => signOut(error.message));
