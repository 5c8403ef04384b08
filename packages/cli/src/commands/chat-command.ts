import type { BuiltGateway } from 'ai.matey.gateway';
import { runChatRepl } from '../chat/chat-repl.ts';
import { ChatSession } from '../chat/chat-session.ts';
import { streamFromGateway } from '../chat/stream-from-gateway.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { describeError } from '../cli/describe-error.ts';
import { checkProvider, openLocalGateway } from '../cli/open-local-gateway.ts';
import { parseCommandArgs } from '../cli/parse-command-args.ts';

export const CHAT_USAGE = `Usage: matey chat [options] [prompt…]

Streams an answer in the terminal. With a prompt, answers once and exits; without one, starts
an interactive chat (history kept; /provider, /model, /clear, /exit).

Without --url the providers are those \`matey serve\` would use (matey.config.* or --config,
else the API keys in the environment, else the simulated fleet), called in process.

Options:
  -p, --provider NAME   answer with this provider (default: routed by model)
  -m, --model ID        model id or alias (default: the provider's default)
  -s, --system TEXT     a system prompt
  -u, --url URL         talk to a running gateway instead (OpenAI format over HTTP)
  -k, --key KEY         gateway key for --url (default: $MATEY_KEY)
  -c, --config FILE     gateway config file (YAML or JSON)
  -v, --verbose         per-call log lines on stderr
  -h, --help            this text

The answer goes to stdout; the usage line ([provider/model · tokens · cost · time]) to stderr.`;

/** `matey chat`: one answer, or an interactive chat. */
export async function chatCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('chat', args, {
    provider: { type: 'string', short: 'p' },
    model: { type: 'string', short: 'm' },
    system: { type: 'string', short: 's' },
    url: { type: 'string', short: 'u' },
    key: { type: 'string', short: 'k' },
    config: { type: 'string', short: 'c' },
    verbose: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(`${CHAT_USAGE}\n`);
    return 0;
  }
  let built: BuiltGateway | undefined;
  try {
    let session: ChatSession;
    let check: (name: string) => void = () => {};
    if (values.url) {
      const url = values.url;
      const apiKey = values.key ?? io.env.MATEY_KEY;
      session = new ChatSession({
        send: (request, signal) => streamFromGateway(request, { url, apiKey, signal }),
        provider: values.provider,
        model: values.model,
        system: values.system,
        providerIn: 'model-prefix',
      });
    } else {
      const local = await openLocalGateway(io, { config: values.config, verbose: values.verbose });
      built = local;
      check = (name) => checkProvider(local, name);
      check(values.provider ?? local.router.backendNames[0] ?? '');
      session = new ChatSession({
        send: (request, signal) => local.bridge.stream(request, { signal }),
        provider: values.provider,
        model: values.model,
        system: values.system,
        providerIn: 'metadata',
      });
    }
    if (positionals.length === 0) return await runChatRepl(session, io, check);
    try {
      await session.ask(positionals.join(' '), io.stdout, io.stderr, io.signal);
      return 0;
    } catch (error) {
      if (io.signal.aborted) return 130;
      io.stderr.write(`error: ${describeError(error)}\n`);
      return 1;
    }
  } finally {
    await built?.close();
  }
}
