/**
 * Codex CLI against the gateway, by hand (not yet a test: `/v1/responses`, the only API Codex
 * speaks, lands from another branch; until then this shows the 404). Starts a gateway over the
 * simulated fleet, asks Codex to run a shell command through the fleet's tool call, and prints
 * its events and whether the file appeared:
 *
 *   node apps/gateway/src/agent-clients/codex-harness.ts [model]
 *
 * Once the Responses endpoint is merged, `runCodex` and the checks below become a test beside
 * `claude-code.test.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayConfigSchema, startGateway } from 'ai.matey.gateway';
import { agentCli } from './agent-cli.ts';
import { runCodex } from './run-codex.ts';

const key = 'mk-codex-harness-7a3e';
const model = process.argv[2] ?? 'gpt-4o-mini';
const gateway = await startGateway(
  gatewayConfigSchema.parse({ server: { port: 0 }, keys: [{ id: 'codex', key }] }),
  { fleetTimeScale: 0, fleetFailureRate: 0, logDestination: { write() {} }, env: {} },
);
try {
  const cwd = await mkdtemp(join(tmpdir(), 'matey-codex-work-'));
  const target = join(cwd, 'out.txt');
  // The simulated fleet calls the tool the prompt names, with the JSON the prompt holds.
  const prompt = `Use exec_command with ${JSON.stringify({ cmd: `echo written by codex > ${target}` })}`;
  const events = await runCodex({
    binary: agentCli('@openai/codex'),
    gatewayUrl: gateway.url,
    apiKey: key,
    model,
    prompt,
    cwd,
  });
  for (const event of events) console.log(JSON.stringify(event));
  const written = existsSync(target) ? readFileSync(target, 'utf8').trim() : undefined;
  const failed = events.some((event) => event.type === 'turn.failed');
  console.log(`\nfile: ${written ?? '(not written)'}; turn ${failed ? 'FAILED' : 'completed'}`);
  process.exitCode = written === 'written by codex' && !failed ? 0 : 1;
} finally {
  await gateway.shutdown();
}
