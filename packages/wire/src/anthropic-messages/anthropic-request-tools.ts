import type { ToolDefinition } from 'ai.matey.core';
import type {
  AnthropicCustomTool,
  AnthropicRequestTool,
  AnthropicToolChange,
} from './anthropic-request-schema.ts';

/**
 * `providerOptions.anthropic` keys that carry what a Messages `tools` list holds beyond the
 * spec's function tools, so an Anthropic upstream gets the list back whole: per-tool fields by
 * tool name (`defer_loading`, `cache_control`), and the tools Anthropic defines and runs or
 * specifies itself (`web_search_20250305`, `bash_20250124`, `mcp_toolset`). Another provider
 * cannot take them; the backend names them in a warning.
 */
export const TOOL_FIELDS = 'tool_fields';
export const DEFINED_TOOLS = 'anthropic_defined_tools';

const SPEC_FIELDS = new Set(['type', 'name', 'description', 'input_schema', 'strict']);

export interface DecodedAnthropicTools {
  tools: ToolDefinition[];
  /** For `providerOptions.anthropic`: `tool_fields` and `anthropic_defined_tools`, when there are any. */
  carried: Record<string, unknown>;
}

/** A Messages `tools` list as spec tools, and what the spec has no place for. */
export function decodeAnthropicTools(list: AnthropicRequestTool[]): DecodedAnthropicTools {
  const tools: ToolDefinition[] = [];
  const fields: Record<string, Record<string, unknown>> = {};
  const defined: AnthropicRequestTool[] = [];
  for (const tool of list) {
    if (!isCustomTool(tool)) {
      defined.push(tool);
      continue;
    }
    const { name, description, input_schema: inputSchema, strict } = tool;
    tools.push({
      name,
      ...(description !== undefined ? { description } : {}),
      inputSchema,
      ...(strict !== undefined ? { strict } : {}),
    });
    const extra = Object.fromEntries(Object.entries(tool).filter(([key]) => !SPEC_FIELDS.has(key)));
    if (Object.keys(extra).length > 0) fields[name] = extra;
  }
  const carried: Record<string, unknown> = {};
  if (Object.keys(fields).length > 0) carried[TOOL_FIELDS] = fields;
  if (defined.length > 0) carried[DEFINED_TOOLS] = defined;
  return { tools, carried };
}

function isCustomTool(tool: AnthropicRequestTool): tool is AnthropicCustomTool {
  return (tool.type === undefined || tool.type === 'custom') && 'input_schema' in tool;
}

/**
 * Puts the carried tool fields and Anthropic-defined tools back into an encoded body's `tools`
 * (they arrive at the top level, merged from `providerOptions.anthropic`), then removes the keys.
 */
export function restoreAnthropicTools(body: Record<string, unknown>): void {
  const fields = body[TOOL_FIELDS] as Record<string, Record<string, unknown>> | undefined;
  const defined = body[DEFINED_TOOLS];
  delete body[TOOL_FIELDS];
  delete body[DEFINED_TOOLS];
  let tools = Array.isArray(body.tools) ? (body.tools as Array<Record<string, unknown>>) : [];
  if (fields && typeof fields === 'object')
    tools = tools.map((tool) => {
      const extra = typeof tool.name === 'string' ? fields[tool.name] : undefined;
      return extra ? { ...tool, ...extra } : tool;
    });
  if (Array.isArray(defined)) tools = [...tools, ...(defined as Array<Record<string, unknown>>)];
  if (tools.length > 0) body.tools = tools;
}

/**
 * The `tools` list once the system messages' tool changes are applied, in order: the spec has
 * one tool list per request, so a tool added mid-conversation is offered from the start and a
 * removed one not at all. Loading a deferred tool (`tool_reference`) clears its `defer_loading`.
 */
export function applyToolChanges(
  tools: readonly AnthropicRequestTool[],
  changes: readonly AnthropicToolChange[],
): AnthropicRequestTool[] {
  let list = [...tools];
  for (const { type, tool } of changes) {
    if (tool.type === 'tool_definition') {
      // The schema lets `tool_definition` through only with a valid tool as its definition.
      const added = tool.definition as AnthropicRequestTool;
      list = [
        ...list.filter((listed) => !sameTool(listed, added)),
        ...(type === 'tool_addition' ? [added] : []),
      ];
      continue;
    }
    const name = typeof tool.name === 'string' ? tool.name : undefined;
    const server = typeof tool.server_name === 'string' ? tool.server_name : undefined;
    const refers = (listed: AnthropicRequestTool) =>
      name !== undefined ? listed.name === name : server !== undefined && listed.mcp_server_name === server;
    if (type === 'tool_removal') list = list.filter((listed) => !refers(listed));
    else
      list = list.map((listed) => {
        if (!refers(listed) || !('defer_loading' in listed)) return listed;
        const { defer_loading: _loaded, ...rest } = listed;
        return rest as AnthropicRequestTool;
      });
  }
  return list;
}

function sameTool(a: AnthropicRequestTool, b: AnthropicRequestTool): boolean {
  return a.name !== undefined && a.name === b.name;
}
