/**
 * Installs pinned agent CLIs into `.tools/agents`: the ones named, or every one in
 * `agent-clients.json`. `./run.sh test` installs those its tests drive before the suite, as it
 * installs chromium: `node apps/gateway/src/agent-clients/install-agent-clients.ts @anthropic-ai/claude-code`.
 */
import { AGENT_PACKAGES, type AgentPackage, agentCli } from './agent-cli.ts';

const named = process.argv.slice(2);
const unknown = named.filter((name) => !AGENT_PACKAGES.includes(name as AgentPackage));
if (unknown.length > 0)
  throw new Error(`Not a pinned agent CLI: ${unknown.join(', ')} (see agent-clients.json)`);
for (const name of named.length > 0 ? (named as AgentPackage[]) : AGENT_PACKAGES) {
  const started = performance.now();
  const path = agentCli(name);
  console.error(`${name}: ${path} (${Math.round(performance.now() - started)} ms)`);
}
