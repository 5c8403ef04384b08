import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The agent CLIs the end-to-end tests drive (Claude Code, Codex), pinned in `agent-clients.json`
 * and installed from npm into `.tools/agents` at the repository root, as `run.sh` installs its
 * Node and pnpm: `./run.sh test` installs them before the suite, and a test that finds one
 * missing installs it itself, so they always run.
 */

export type AgentPackage = '@anthropic-ai/claude-code' | '@openai/codex';

const pins = JSON.parse(readFileSync(new URL('./agent-clients.json', import.meta.url), 'utf8')) as Record<
  AgentPackage,
  // `native`: the executable in the platform package (`@anthropic-ai/claude-code-linux-x64/claude`).
  { version: string; bin: string; native?: string }
>;

/** The pinned agent CLIs, by npm package name. */
export const AGENT_PACKAGES = Object.keys(pins) as AgentPackage[];

/** Where the CLIs are installed (`.tools/agents`, ignored by git), each in its own folder. */
export const AGENTS_DIR = fileURLToPath(new URL('../../../../.tools/agents', import.meta.url));

/** `.tools/agents/claude-code` for `@anthropic-ai/claude-code`: one npm prefix each, so one install never prunes another. */
function prefixOf(name: AgentPackage): string {
  return `${AGENTS_DIR}/${name.split('/').at(-1)}`;
}

function installedVersion(name: AgentPackage): string | undefined {
  const manifest = `${prefixOf(name)}/node_modules/${name}/package.json`;
  if (!existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
}

/**
 * The path of an agent CLI's executable at its pinned version, installing it (npm, from the
 * registry; the platform binary comes as an optional dependency) when it is missing or another
 * version.
 *
 * @example
 * const claude = agentCli('@anthropic-ai/claude-code');
 */
export function agentCli(name: AgentPackage): string {
  const pin = pins[name];
  if (installedVersion(name) !== pin.version) {
    execFileSync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--prefix',
        prefixOf(name),
        `${name}@${pin.version}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 },
    );
  }
  // The platform package's binary runs whether or not npm ran the postinstall that copies it over `bin`.
  const native =
    pin.native && `${prefixOf(name)}/node_modules/${name}-${process.platform}-${process.arch}/${pin.native}`;
  return native && existsSync(native) ? native : `${prefixOf(name)}/node_modules/${name}/${pin.bin}`;
}
