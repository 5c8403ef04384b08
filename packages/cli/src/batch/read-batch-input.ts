import { readFile } from 'node:fs/promises';
import type { ChatRequest, Message } from 'ai.matey.core';
import { UsageError } from '../cli/usage-error.ts';

/** One input line: the request to send and the caller's own id for it, if the line had one. */
export interface BatchItem {
  request: ChatRequest;
  /** `id` or `custom_id` from the line, echoed in the output. */
  id?: string | number;
  /** 1-based line in the input file, for error messages. */
  line: number;
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

/**
 * Reads a JSONL batch: each non-blank line is a spec chat request (`{"messages": […], …}`) or
 * the short form `{"prompt": "…", "system"?: "…", …}`; other fields (`model`,
 * `maxOutputTokens`, `temperature`, …) pass through. Every line is checked before any call is
 * made, and a bad one is reported with its line number.
 */
export async function readBatchInput(path: string): Promise<BatchItem[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const items: BatchItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]?.trim() ?? '';
    if (raw === '') continue;
    items.push(parseBatchLine(raw, `${path}:${i + 1}`, i + 1));
  }
  if (items.length === 0) throw new UsageError(`${path} has no requests (one JSON object a line)`);
  return items;
}

/** One line into a batch item; `where` (`file:line`) prefixes any error. */
export function parseBatchLine(raw: string, where: string, line: number): BatchItem {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UsageError(`${where}: not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: a line must be a JSON object`);
  }
  const { id, custom_id: customId, prompt, system, ...rest } = value as Record<string, unknown>;
  const itemId = id ?? customId;
  if (itemId !== undefined && typeof itemId !== 'string' && typeof itemId !== 'number') {
    throw new UsageError(`${where}: id must be a string or a number`);
  }
  let messages: Message[];
  if (prompt !== undefined) {
    if (typeof prompt !== 'string') throw new UsageError(`${where}: prompt must be a string`);
    if (rest.messages !== undefined) throw new UsageError(`${where}: give prompt or messages, not both`);
    if (system !== undefined && typeof system !== 'string')
      throw new UsageError(`${where}: system must be a string`);
    messages = [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      { role: 'user', content: prompt },
    ];
  } else {
    if (!Array.isArray(rest.messages) || rest.messages.length === 0) {
      throw new UsageError(`${where}: needs "messages" (a non-empty array) or "prompt"`);
    }
    for (const [index, message] of rest.messages.entries())
      checkMessage(message, `${where}: messages.${index}`);
    messages = rest.messages as Message[];
    if (system !== undefined) {
      if (typeof system !== 'string') throw new UsageError(`${where}: system must be a string`);
      messages = [{ role: 'system', content: system }, ...messages];
    }
  }
  if (rest.model !== undefined && typeof rest.model !== 'string') {
    throw new UsageError(`${where}: model must be a string`);
  }
  const request = { ...rest, messages } as ChatRequest;
  return { request, line, ...(itemId === undefined ? {} : { id: itemId as string | number }) };
}

function checkMessage(message: unknown, where: string): void {
  const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw new UsageError(`${where}.role: one of system, user, assistant, tool`);
  }
  if (typeof content !== 'string' && !Array.isArray(content)) {
    throw new UsageError(`${where}.content: a string or an array of content parts`);
  }
}
