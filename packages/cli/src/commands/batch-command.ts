import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ChatResponse } from 'ai.matey.core';
import {
  type BatchItemResult,
  type BatchProgress,
  createBatchProcessor,
  readCheckpoint,
} from 'ai.matey.patterns';
import { lineFromCheckpoint, lineFromResult } from '../batch/batch-output-line.ts';
import { BatchProgressBar } from '../batch/batch-progress-bar.ts';
import { type DistributedFlags, openDistributedBatch } from '../batch/open-distributed-batch.ts';
import { OrderedLineWriter } from '../batch/ordered-line-writer.ts';
import { readBatchInput } from '../batch/read-batch-input.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { checkProvider, openLocalGateway } from '../cli/open-local-gateway.ts';
import { numberFlag, parseCommandArgs } from '../cli/parse-command-args.ts';
import { UsageError } from '../cli/usage-error.ts';

export const BATCH_USAGE = `Usage: matey batch <in.jsonl> --out <out.jsonl> [options]

Sends every request of a JSONL file, a few at a time and within a rate limit, and writes one
result line per input line, in input order:
  {"index":0,"ok":true,"text":"…","model":"…","provider":"…","finishReason":"stop","usage":{…}}
  {"index":3,"ok":false,"error":{"kind":"rate-limited","message":"…","status":429}}

Each input line is a chat request, {"messages":[…], "model"?: …, …} or the short form
{"prompt":"…", "system"?: "…"}; an "id" (or "custom_id") is copied to its result line.

Finished items are recorded in a checkpoint file as they complete. After a crash or Ctrl-C,
run the same command with --resume: finished items are not sent again. The checkpoint is
removed when every item succeeded; it is kept when some failed (--resume --retry-failed).

With --redis, the batch is distributed: its items become jobs in Redis, which any number of
\`matey batch worker --redis URL\` processes (on any machine) take within one rate limit; this
process works on it too (unless --submit-only) and writes the results. A dead worker's items go to
another. Each item is done once: run the same command with the same --batch-id after a crash and
finished items are only collected. Progress from anywhere: matey batch status <batch-id>.

Subcommands: matey batch worker | status (see their --help).

Options:
  -o, --out FILE          where the results go (required; rewritten whole)
      --resume            continue from the checkpoint of an unfinished run
      --retry-failed      with --resume: send the items that failed again
      --checkpoint FILE   checkpoint file (default: <out>.checkpoint)
  -j, --concurrency N     requests in flight at once (default 4)
      --rpm N             at most N requests a minute (default: no limit)
  -p, --provider NAME     send every item to this provider
  -m, --model ID          model for items that name none
  -c, --config FILE       gateway config file (YAML or JSON)
  -v, --verbose           per-call log lines on stderr
      --redis URL         distributed: the Redis the workers share
      --batch-id ID       distributed: the batch's id (default: a new one, printed)
      --queue NAME        distributed: the queue (default matey-batch)
      --submit-only       distributed: queue the items and wait, leaving the work to workers
  -h, --help              this text

Progress goes to stderr. Exit status: 0 all succeeded, 1 some failed, 130 interrupted.`;

/** `matey batch`: a JSONL file of requests through the gateway's providers, resumable. */
export async function batchCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'worker')
    return (await import('./batch-worker-command.ts')).batchWorkerCommand(args.slice(1), io);
  if (args[0] === 'status')
    return (await import('./batch-status-command.ts')).batchStatusCommand(args.slice(1), io);
  const { values, positionals } = parseCommandArgs('batch', args, {
    out: { type: 'string', short: 'o' },
    resume: { type: 'boolean' },
    'retry-failed': { type: 'boolean' },
    checkpoint: { type: 'string' },
    concurrency: { type: 'string', short: 'j' },
    rpm: { type: 'string' },
    provider: { type: 'string', short: 'p' },
    model: { type: 'string', short: 'm' },
    config: { type: 'string', short: 'c' },
    verbose: { type: 'boolean', short: 'v' },
    redis: { type: 'string' },
    'batch-id': { type: 'string' },
    queue: { type: 'string' },
    'submit-only': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(`${BATCH_USAGE}\n`);
    return 0;
  }
  const [input, ...extra] = positionals;
  if (!input) throw new UsageError('batch needs an input file: matey batch in.jsonl --out out.jsonl');
  if (extra.length > 0) throw new UsageError(`batch takes one input file (got also "${extra[0]}")`);
  if (!values.out) throw new UsageError('batch needs --out FILE for the results');
  const concurrency = numberFlag('concurrency', values.concurrency, { min: 1, max: 1_000 }) ?? 4;
  const rpm = numberFlag('rpm', values.rpm, { min: 1, max: 1_000_000 });
  const checkpointPath = values.checkpoint ?? `${values.out}.checkpoint`;
  const retryFailed = values['retry-failed'] === true;
  if (retryFailed && !values.resume) throw new UsageError('--retry-failed goes with --resume');
  const distributed: DistributedFlags | undefined = values.redis
    ? {
        redisUrl: values.redis,
        batchId: values['batch-id'],
        queue: values.queue,
        submitOnly: values['submit-only'] === true,
      }
    : undefined;
  if (!distributed && (values['batch-id'] || values.queue || values['submit-only'])) {
    throw new UsageError('--batch-id, --queue and --submit-only go with --redis');
  }
  if (distributed && (values.resume || values.checkpoint)) {
    throw new UsageError(
      'with --redis, Redis keeps the finished items: rerun with the same --batch-id instead of --resume',
    );
  }
  if (!distributed && existsSync(checkpointPath) && !values.resume) {
    throw new UsageError(
      `${checkpointPath} holds an unfinished run: add --resume to continue it, or delete it to start over`,
    );
  }

  const items = await readBatchInput(input);
  const requests = items.map(({ request }) => {
    const withModel = request.model || !values.model ? request : { ...request, model: values.model };
    return values.provider
      ? { ...withModel, metadata: { ...withModel.metadata, provider: values.provider } }
      : withModel;
  });

  const built = await openLocalGateway(io, { config: values.config, verbose: values.verbose });
  try {
    checkProvider(built, values.provider);
    let writer: OrderedLineWriter;
    try {
      writer = new OrderedLineWriter(values.out);
    } catch (error) {
      throw new UsageError(`cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    let restored = 0;
    let restoredFailures = 0;
    if (values.resume) {
      for (const [index, entry] of await readCheckpoint(checkpointPath)) {
        if (index >= items.length || (!entry.ok && retryFailed)) continue;
        writer.set(index, lineFromCheckpoint(entry, items[index]?.id));
        restored++;
        if (!entry.ok) restoredFailures++;
      }
      io.stderr.write(`resuming: ${restored} of ${items.length} already finished\n`);
    }

    const bar = new BatchProgressBar(io.stderr);
    let last: BatchProgress = {
      total: items.length,
      done: restored,
      failed: restoredFailures,
      inFlight: 0,
      pending: items.length - restored,
      ratePerSecond: 0,
      etaMs: undefined,
      elapsedMs: 0,
    };
    bar.update(last);
    const engine = distributed ? await openDistributedBatch(distributed, items, io) : undefined;
    const processor = createBatchProcessor({
      concurrency,
      ...(rpm === undefined ? {} : { rateLimit: { requestsPerMinute: rpm } }),
      ...(engine ? { distributed: engine } : { checkpoint: { path: checkpointPath, retryFailed } }),
    });
    processor.on('item', ({ result }) => {
      writer.set(
        result.index,
        lineFromResult(result as BatchItemResult<ChatResponse>, items[result.index]?.id),
      );
    });
    processor.on('progress', (progress) => {
      last = progress;
      bar.update(progress);
    });

    let results: Array<BatchItemResult<ChatResponse>>;
    try {
      results = await processor.run(requests, built.bridge, { signal: io.signal });
    } catch (error) {
      bar.finish(last);
      await writer.close();
      if (!io.signal.aborted) throw error;
      const again = distributed
        ? `the batch goes on in its workers; collect it with the same command and --batch-id ${engine?.batchId}`
        : 'run the same command with --resume to finish';
      io.stderr.write(`interrupted: ${last.done} of ${items.length} finished; ${again}\n`);
      return 130;
    }
    for (const result of results) writer.set(result.index, lineFromResult(result, items[result.index]?.id));
    await writer.close();
    bar.finish({ ...last, done: items.length });
    const failed = results.filter((result) => !result.success).length;
    if (failed === 0 && !distributed) await rm(checkpointPath, { force: true });
    const retryHint = distributed
      ? ''
      : ` (retry them: --resume --retry-failed; checkpoint ${checkpointPath})`;
    io.stderr.write(
      `${items.length - failed} succeeded, ${failed} failed → ${values.out}${failed > 0 ? retryHint : ''}\n`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    await built.close();
  }
}
