/**
 * Installs the pinned agent CLIs into `.tools/agents` (what `./run.sh test` runs before the
 * suite, as it installs chromium): `node apps/gateway/src/agent-clients/install-agent-clients.ts`.
 */
import { AGENT_PACKAGES, agentCli } from './agent-cli.ts';

for (const name of AGENT_PACKAGES) {
  const started = performance.now();
  const path = agentCli(name);
  console.error(`${name}: ${path} (${Math.round(performance.now() - started)} ms)`);
}
