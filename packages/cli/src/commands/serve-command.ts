import { runGatewayUntilStopped } from 'ai.matey.gateway';
import type { CliIo } from '../cli/cli-io.ts';
import { numberFlag, parseCommandArgs } from '../cli/parse-command-args.ts';
import { simulationOptions } from '../cli/simulation-options.ts';
import { UsageError } from '../cli/usage-error.ts';

export const SERVE_USAGE = `Usage: matey serve [options]

Starts the gateway: OpenAI (/v1/chat/completions) and Anthropic (/v1/messages) endpoints with
SSE, /v1/models, health, /metrics and a WebSocket, on one port. Ctrl-C (SIGINT) or SIGTERM
stops accepting and lets in-flight streams finish (server.shutdownGraceMs, default 10 s).

Options:
  -c, --config FILE   gateway config (default: matey.config.yaml|yml|json here, else defaults)
  -p, --port N        port (default: config, $PORT, else 8787; 0 for any free port)
      --host HOST     address to bind (default: config, $HOST, else 127.0.0.1)
  -w, --workers N     processes serving the port, or auto for one per core (default: config
                      server.workers, else auto); SIGHUP replaces them one at a time
  -h, --help          this text

With no providers configured and no API keys in the environment, it serves a simulated fleet.`;

/** `matey serve`: the gateway, until SIGINT or SIGTERM. */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('serve', args, {
    config: { type: 'string', short: 'c' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    workers: { type: 'string', short: 'w' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got "${positionals[0]}")`);
  const port = numberFlag('port', values.port, { max: 65_535 });
  const workers =
    values.workers === 'auto' ? 'auto' : numberFlag('workers', values.workers, { min: 1, max: 256 });
  return runGatewayUntilStopped(values.config, {
    ...(workers === undefined ? {} : { workers }),
    defaultWorkers: 'auto',
    ...(port === undefined ? {} : { port }),
    ...(values.host ? { host: values.host } : {}),
    env: io.env,
    ...simulationOptions(io.env),
    print: (text) => io.stdout.write(`${text}\n`),
    printError: (text) => io.stderr.write(`${text}\n`),
    signal: io.signal,
  });
}
