import { execFile } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClaudeCodeRun {
  /** The `claude` executable (`agentCli('@anthropic-ai/claude-code')`). */
  binary: string;
  /** The gateway's base URL (`http://127.0.0.1:PORT`), as ANTHROPIC_BASE_URL. */
  gatewayUrl: string;
  /** A gateway key, as ANTHROPIC_API_KEY. */
  apiKey: string;
  /** The model Claude Code asks for (ANTHROPIC_MODEL, and its small fast model too). */
  model: string;
  prompt: string;
  /** Where it works (its tools read and write here). */
  cwd: string;
  /** Tools it may run without asking (`Read`, `Write`). */
  allowedTools: string[];
}

/** What `claude -p --output-format json` prints at the end of a headless run. */
export interface ClaudeCodeResult {
  type: 'result';
  subtype: string;
  is_error: boolean;
  result: string;
  num_turns: number;
  api_error_status?: number | null;
}

/**
 * Runs Claude Code headless (`claude -p`) against the gateway, as a user would point it there,
 * with nothing leaving 127.0.0.1: telemetry, error reports, updates and other non-essential
 * traffic off, a fresh HOME and config folder, and an environment holding nothing but what it
 * needs (no provider key of the machine's reaches it).
 *
 * @example
 * const result = await runClaudeCode({ binary, gatewayUrl, apiKey, model: 'gpt-4o-mini', prompt, cwd, allowedTools: ['Read'] });
 */
export async function runClaudeCode(run: ClaudeCodeRun): Promise<ClaudeCodeResult> {
  const home = await mkdtemp(join(tmpdir(), 'matey-claude-home-'));
  await mkdir(join(home, '.claude'), { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_BASE_URL: run.gatewayUrl,
    ANTHROPIC_API_KEY: run.apiKey,
    ANTHROPIC_MODEL: run.model,
    ANTHROPIC_SMALL_FAST_MODEL: run.model,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: run.model,
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    NO_PROXY: '127.0.0.1,localhost',
  };
  const args = ['-p', run.prompt, '--output-format', 'json', '--allowedTools', run.allowedTools.join(',')];
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      run.binary,
      args,
      { cwd: run.cwd, env, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, out, err) => {
        // A failed run still prints its JSON result (is_error, api_error_status): read it when there is one.
        if (error && !out.includes('"type":"result"'))
          reject(new Error(`claude exited: ${error.message}\n${err}`));
        else resolve(out);
      },
    );
    // Nothing on stdin: `claude -p` otherwise waits 3 s for piped input.
    child.stdin?.end();
  });
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((text) => text.startsWith('{') && text.includes('"type":"result"'));
  if (!line) throw new Error(`claude printed no result: ${stdout.slice(0, 2000)}`);
  return JSON.parse(line) as ClaudeCodeResult;
}
