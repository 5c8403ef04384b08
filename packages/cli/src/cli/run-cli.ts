import { readFileSync } from 'node:fs';
import type { CliIo } from './cli-io.ts';
import { describeError } from './describe-error.ts';
import { UsageError } from './usage-error.ts';

export const MATEY_USAGE = `Usage: matey <command> [options]

One request shape for many LLM providers: a gateway, a terminal chat, and batch runs.

Commands:
  serve    start the OpenAI/Anthropic-compatible gateway
  chat     stream an answer in the terminal, or chat interactively
  batch    run a JSONL file of requests, resumable, within rate limits;
           across machines with --redis (batch worker, batch status)
  models   list the models of the configured providers, with prices

Run \`matey <command> --help\` for its options.

With no config and no API keys, every command uses a simulated fleet of local providers.
Config: --config FILE, else matey.config.yaml|yml|json in the working directory.
Environment: provider keys (OPENAI_API_KEY, ANTHROPIC_API_KEY, GROQ_API_KEY, …);
  MATEY_SIM_TIME_SCALE (0: simulated calls are instant), MATEY_SIM_FAILURE_RATE (0..1).

Options:
  -h, --help       this text
  -V, --version    the version`;

type Command = (args: string[], io: CliIo) => Promise<number>;

// Loaded on use: `matey --help` should not wait for every provider adapter and the HTTP stack.
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('../commands/serve-command.ts')).serveCommand,
  chat: async () => (await import('../commands/chat-command.ts')).chatCommand,
  batch: async () => (await import('../commands/batch-command.ts')).batchCommand,
  models: async () => (await import('../commands/models-command.ts')).modelsCommand,
};

/**
 * Runs the `matey` command line and resolves with the exit code: 0 done, 1 a call or item
 * failed, 2 a usage or config error, 130 interrupted.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic && COMMANDS[topic]) return runCli([topic, '--help'], io);
    (name === undefined ? io.stderr : io.stdout).write(`${MATEY_USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '-V' || name === '--version') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`matey: unknown command '${name}'\n\n${MATEY_USAGE}\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`matey ${name}: ${error.message.replace(`${name}: `, '')}\n`);
      io.stderr.write(`Run \`matey ${name} --help\` for usage.\n`);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === 'ConfigError') {
      for (const line of error.message.split('\n')) io.stderr.write(`config error: ${line}\n`);
      return 2;
    }
    if (io.signal.aborted) return 130;
    io.stderr.write(`matey ${name}: ${describeError(error)}\n`);
    return 1;
  }
}

function version(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
