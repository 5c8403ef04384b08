export interface ChatPageOptions {
  /** Path of the gateway's WebSocket on the page's own host. Default `/v1/ws`. */
  wsPath?: string;
}

/**
 * The chat page: one self-contained HTML document (inline CSS and JS, no external resources)
 * that talks to `attachWebSocketGateway` over a WebSocket on the same host. Streams replies as
 * `chunk` events arrive, switches provider, cancels the running reply, shows round-trip latency
 * from app-level pings, and reconnects with backoff when the socket closes.
 *
 * @example
 * createServer((req, res) => res.end(chatPageHtml({ wsPath: '/v1/ws' })));
 */
export function chatPageHtml(options: ChatPageOptions = {}): string {
  // JSON is valid JS; escaping `<` keeps a hostile path from closing the script element.
  const wsPath = JSON.stringify(options.wsPath ?? '/v1/ws').replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>ai.matey chat</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>ai.matey chat</h1>
  <label for="provider">Provider</label>
  <select id="provider" disabled></select>
  <span id="status" role="status">connecting…</span>
  <span id="latency" aria-label="Latency">– ms</span>
</header>
<main id="messages" role="log" aria-live="polite" aria-label="Messages"></main>
<form id="composer">
  <label for="prompt" class="visually-hidden">Message</label>
  <input id="prompt" autocomplete="off" placeholder="Say something… (try “tell me a long story”)">
  <button id="send" type="submit" disabled>Send</button>
  <button id="cancel" type="button" disabled>Cancel</button>
</form>
<script>
const WS_PATH = ${wsPath};
${SCRIPT}
</script>
</body>
</html>
`;
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; height: 100vh; display: flex; flex-direction: column;
  font: 15px/1.45 system-ui, sans-serif; color: #1d2330; background: #f4f5f8; }
header { display: flex; align-items: center; gap: .6rem; padding: .6rem 1rem;
  background: #1d2330; color: #fff; }
header h1 { font-size: 1.05rem; margin: 0 auto 0 0; }
header select { padding: .2rem .4rem; }
#status, #latency { font-size: .8rem; padding: .15rem .5rem; border-radius: 999px; background: #3a4255; }
#status.connected { background: #1f7a4d; }
#status.offline { background: #a33; }
#messages { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .6rem; }
.message { max-width: 75%; padding: .55rem .8rem; border-radius: 12px; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.message.user { align-self: flex-end; background: #2f6fed; color: #fff; }
.message.assistant { align-self: flex-start; background: #fff; border: 1px solid #dde1ea; }
.message.assistant.streaming .text::after { content: "▍"; animation: blink 1s steps(1) infinite; }
.message.cancelled { opacity: .7; border-style: dashed; }
.message.error { border-color: #c33; background: #fff0f0; }
.message.system { align-self: center; font-size: .8rem; color: #5b6477; }
.message.system.error { color: #a22; }
.meta { font-size: .75rem; color: #6b7385; margin-top: .25rem; }
.meta:empty { display: none; }
form { display: flex; gap: .5rem; padding: .75rem 1rem; background: #fff; border-top: 1px solid #dde1ea; }
#prompt { flex: 1; padding: .5rem .7rem; font: inherit; border: 1px solid #c5cad6; border-radius: 8px; }
button { padding: .5rem 1rem; font: inherit; border: 0; border-radius: 8px; cursor: pointer;
  background: #2f6fed; color: #fff; }
button#cancel { background: #a33; }
button:disabled { opacity: .45; cursor: default; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@keyframes blink { 50% { opacity: 0; } }
`;

// Plain browser JS (no backticks or dollar-brace inside, since it lives in a template literal).
const SCRIPT = `
const $ = (id) => document.getElementById(id);
const list = $('messages'), promptInput = $('prompt'), send = $('send'), cancel = $('cancel');
const provider = $('provider'), statusBadge = $('status'), latencyBadge = $('latency');
let socket = null, retries = 0, chatCount = 0, activeId = null, currentProvider = null, pingTimer = null;

function setStatus(text, kind) { statusBadge.textContent = text; statusBadge.className = kind || ''; }

function addMessage(role, text) {
  const el = document.createElement('div');
  el.className = 'message ' + role;
  const body = document.createElement('div');
  body.className = 'text';
  body.textContent = text;
  const meta = document.createElement('div');
  meta.className = 'meta';
  el.append(body, meta);
  list.append(el);
  list.scrollTop = list.scrollHeight;
  return el;
}

function bubble(id) { return id ? list.querySelector('.message.assistant[data-id="' + CSS.escape(id) + '"]') : null; }

function finish(el, kind, note) {
  el.classList.remove('streaming');
  el.classList.add(kind);
  if (note) el.querySelector('.meta').textContent = note;
  if (el.dataset.id === activeId) activeId = null;
  updateButtons();
}

function updateButtons() {
  const open = socket !== null && socket.readyState === WebSocket.OPEN;
  send.disabled = !open || activeId !== null;
  cancel.disabled = !open || activeId === null;
  provider.disabled = !open;
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const ws = new WebSocket(scheme + location.host + WS_PATH);
  socket = ws;
  setStatus('connecting…');
  ws.onopen = () => {
    retries = 0;
    ping();
    pingTimer = setInterval(ping, 5000);
    updateButtons();
  };
  ws.onmessage = (event) => onServerMessage(JSON.parse(event.data));
  ws.onclose = () => {
    clearInterval(pingTimer);
    const running = bubble(activeId);
    if (running) finish(running, 'error', 'Connection lost');
    // Exponential backoff with a cap, so a restarting server is not hammered.
    const delay = Math.min(8000, 500 * 2 ** retries++);
    setStatus('reconnecting in ' + (delay / 1000).toFixed(1) + ' s', 'offline');
    updateButtons();
    setTimeout(connect, delay);
  };
}

function ping() {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping', ts: Date.now() }));
}

function onServerMessage(msg) {
  const el = bubble(msg.id);
  switch (msg.type) {
    case 'welcome':
      // The server keeps history and provider per connection, so a reconnect starts afresh.
      if (statusBadge.dataset.clientId) addMessage('system', 'Reconnected: new session');
      statusBadge.dataset.clientId = msg.clientId;
      setStatus('connected', 'connected');
      provider.replaceChildren(...msg.providers.map((name) => new Option(name, name)));
      currentProvider = msg.provider || msg.providers[0] || null;
      if (currentProvider) provider.value = currentProvider;
      break;
    case 'chunk':
      if (el && msg.data.type === 'text-delta') {
        el.querySelector('.text').append(msg.data.delta);
        list.scrollTop = list.scrollHeight;
      }
      break;
    case 'done':
      if (el) {
        el.querySelector('.text').textContent = msg.text;
        el.dataset.provider = msg.provider;
        const tokens = msg.usage && msg.usage.totalTokens;
        finish(el, 'done', msg.provider + ' · ' + msg.model + ' · ' + tokens + ' tokens · ' + Math.round(msg.durationMs) + ' ms');
      }
      break;
    case 'cancelled':
      if (el) finish(el, 'cancelled', 'Cancelled');
      break;
    case 'error':
      // A late error for a chat that already ended (e.g. cancel after done) changes nothing.
      if (el && el.classList.contains('streaming')) finish(el, 'error', 'Error: ' + msg.error.message);
      else if (!msg.id) {
        addMessage('system error', 'Error: ' + msg.error.message);
        if (currentProvider) provider.value = currentProvider;
      }
      break;
    case 'provider_switched':
      currentProvider = msg.provider;
      provider.value = msg.provider;
      addMessage('system', 'Switched to ' + msg.provider);
      break;
    case 'pong':
      if (typeof msg.ts === 'number') latencyBadge.textContent = Math.max(0, Date.now() - msg.ts) + ' ms';
      break;
  }
}

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const content = promptInput.value.trim();
  if (!content || send.disabled) return;
  activeId = 'chat-' + ++chatCount;
  addMessage('user', content);
  const el = addMessage('assistant streaming', '');
  el.dataset.id = activeId;
  socket.send(JSON.stringify({ type: 'chat', id: activeId, content }));
  promptInput.value = '';
  updateButtons();
});

cancel.addEventListener('click', () => {
  if (activeId === null) return;
  socket.send(JSON.stringify({ type: 'cancel', id: activeId }));
  cancel.disabled = true;
});

provider.addEventListener('change', () => {
  socket.send(JSON.stringify({ type: 'switch_provider', provider: provider.value }));
});

connect();
`;
