/**
 * Server-sent events over fetch, so the admin key goes in an Authorization header (EventSource
 * cannot send one, and a key in its URL would end up in logs and history). Reconnects with a
 * growing pause until stopped; a 401 stops it and says so.
 */

/** Reads one event stream until it ends; calls `onEvent(name, data)` for each event. */
async function readStream(url, key, onEvent, signal) {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
    cache: 'no-store',
    signal,
  });
  if (!response.ok || !response.body) {
    const error = new Error(`The event stream answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replaceAll('\r\n', '\n');
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      dispatch(buffer.slice(0, end), onEvent);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length > 0) onEvent(name, data.join('\n'));
}

/**
 * Keeps an event stream open: `onState('live' | 'reconnecting' | 'refused')` tells how it is.
 * Returns a function that stops it.
 */
export function liveEvents(url, key, { onEvent, onState }) {
  const controller = new AbortController();
  let pauseMs = 500;
  const loop = async () => {
    while (!controller.signal.aborted) {
      try {
        await readStream(
          url,
          key,
          (name, data) => {
            pauseMs = 500;
            onState('live');
            onEvent(name, data);
          },
          controller.signal,
        );
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error.status === 401) return onState('refused');
      }
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      pauseMs = Math.min(pauseMs * 2, 10_000);
    }
  };
  loop();
  return () => controller.abort();
}
