import { type ChatResponse, responseText } from 'ai.matey.core';
import type { BatchItemResult, CheckpointEntry } from 'ai.matey.patterns';

/** What `matey batch` writes for one item: one JSON line, in input order. */
export type BatchOutputLine =
  | {
      index: number;
      id?: string | number;
      ok: true;
      text: string;
      model: string;
      provider: string;
      finishReason: string;
      usage: ChatResponse['usage'];
    }
  | {
      index: number;
      id?: string | number;
      ok: false;
      error: { kind: string; message: string; status?: number; provider?: string };
    };

/** The output line for an item finished by this run (or restored by the batch processor). */
export function lineFromResult(
  result: BatchItemResult<ChatResponse>,
  id: string | number | undefined,
): BatchOutputLine {
  if (result.success) return successLine(result.index, id, result.result);
  // A failure restored from a checkpoint carries its first run's fields as its cause.
  const fields = result.fromCheckpoint
    ? ((result.error.cause ?? {}) as Record<string, unknown>)
    : result.error.toJSON();
  return failureLine(result.index, id, fields);
}

/** The output line for an item an earlier run recorded in the checkpoint file. */
export function lineFromCheckpoint(entry: CheckpointEntry, id: string | number | undefined): BatchOutputLine {
  return entry.ok
    ? successLine(entry.index, id, entry.result as ChatResponse)
    : failureLine(entry.index, id, entry.error);
}

function successLine(
  index: number,
  id: string | number | undefined,
  response: ChatResponse,
): BatchOutputLine {
  return {
    index,
    ...(id === undefined ? {} : { id }),
    ok: true,
    text: responseText(response),
    model: response.model,
    provider: response.provider,
    finishReason: response.finishReason,
    usage: response.usage,
  };
}

function failureLine(
  index: number,
  id: string | number | undefined,
  fields: Record<string, unknown>,
): BatchOutputLine {
  const { kind, message, status, provider } = fields;
  return {
    index,
    ...(id === undefined ? {} : { id }),
    ok: false,
    error: {
      kind: typeof kind === 'string' ? kind : 'unknown',
      message: typeof message === 'string' ? message : 'failed',
      ...(typeof status === 'number' ? { status } : {}),
      ...(typeof provider === 'string' ? { provider } : {}),
    },
  };
}
