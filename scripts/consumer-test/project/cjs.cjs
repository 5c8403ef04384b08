// The same program from CommonJS: `require` of the ESM-only packages (Node >= 22.12).
const { Bridge } = require('ai.matey.core');
const { OpenAIBackendAdapter } = require('ai.matey.backend');

async function main() {
  const bridge = new Bridge({
    backend: new OpenAIBackendAdapter({ apiKey: 'consumer-test-key', baseURL: `${process.argv[2]}/v1` }),
  });
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] };
  const executed = await bridge.execute(request);
  const text = executed.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  let streamed = '';
  let deltas = 0;
  for await (const event of bridge.stream(request)) {
    if (event.type !== 'text-delta') continue;
    streamed += event.delta;
    deltas++;
  }
  console.log(JSON.stringify({ text, streamed, deltas }));
}
main();
