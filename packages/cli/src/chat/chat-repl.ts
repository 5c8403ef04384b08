import { createInterface } from 'node:readline';
import { CancelledError } from 'ai.matey.core';
import type { CliIo } from '../cli/cli-io.ts';
import { describeError } from '../cli/describe-error.ts';
import type { ChatSession } from './chat-session.ts';

export const REPL_HELP = `Commands:
  /provider NAME   answer with this provider (/provider auto: let the router choose)
  /model ID        use this model (/model default: the provider's default)
  /clear           forget the conversation so far
  /help            this text
  /exit            leave (Ctrl-D too)`;

/**
 * The interactive chat: reads a line, streams the answer, keeps the history. Prompts and notes
 * go to stderr so stdout holds only the answers. Ctrl-C stops the answer being streamed; at the
 * prompt it leaves. Resolves with the exit code.
 */
export async function runChatRepl(
  session: ChatSession,
  io: CliIo,
  checkProvider: (name: string) => void,
): Promise<number> {
  const terminal = Boolean(io.stdin.isTTY && io.stderr.isTTY);
  const lines = createInterface({
    input: io.stdin,
    output: io.stderr as NodeJS.WritableStream,
    terminal,
    prompt: terminal ? '\u001b[1m›\u001b[22m ' : '> ',
    historySize: 200,
  });
  let call: AbortController | undefined;
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    call?.abort(new CancelledError({ message: 'Stopped by the user' }));
    lines.close();
  };
  lines.on('SIGINT', () => {
    if (call && !call.signal.aborted) call.abort(new CancelledError({ message: 'Stopped by the user' }));
    else stop();
  });
  io.signal.addEventListener('abort', stop, { once: true });
  const note = (text: string) => io.stderr.write(`${text}\n`);
  note(`Chatting with ${describe(session)}. /help for commands, /exit to leave.`);
  lines.prompt();
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === '') {
        lines.prompt();
        continue;
      }
      if (line.startsWith('/')) {
        const [command = '', ...rest] = line.slice(1).split(/\s+/);
        const value = rest.join(' ');
        if (command === 'exit' || command === 'quit') break;
        if (command === 'help') note(REPL_HELP);
        else if (command === 'clear') {
          session.clear();
          note('(conversation cleared)');
        } else if (command === 'provider') {
          if (!value) note(`provider: ${session.provider ?? 'auto'}`);
          else {
            try {
              if (value !== 'auto') checkProvider(value);
              session.provider = value === 'auto' ? undefined : value;
              note(`now: ${describe(session)}`);
            } catch (error) {
              note(describeError(error));
            }
          }
        } else if (command === 'model') {
          if (!value) note(`model: ${session.model ?? 'default'}`);
          else {
            session.model = value === 'default' ? undefined : value;
            note(`now: ${describe(session)}`);
          }
        } else note(`unknown command /${command}\n${REPL_HELP}`);
        lines.prompt();
        continue;
      }
      call = new AbortController();
      try {
        await session.ask(line, io.stdout, io.stderr, call.signal);
      } catch (error) {
        note(call.signal.aborted ? '(stopped)' : `error: ${describeError(error)}`);
      } finally {
        call = undefined;
      }
      if (interrupted) break;
      lines.prompt();
    }
  } finally {
    io.signal.removeEventListener('abort', stop);
    lines.close();
  }
  return interrupted ? 130 : 0;
}

function describe(session: ChatSession): string {
  return `${session.provider ?? 'any provider'}, model ${session.model ?? 'default'}`;
}
