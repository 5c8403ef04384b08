/**
 * The Responses item types this codec carries whole, without a spec equivalent (hosted and
 * custom tool calls and their outputs, MCP, references, compaction), and on which side of the
 * conversation each stands: the model's (`assistant`) or the caller's (`caller`).
 */
export const OPAQUE_ITEM_SIDES: Readonly<Record<string, 'assistant' | 'caller'>> = {
  web_search_call: 'assistant',
  file_search_call: 'assistant',
  computer_call: 'assistant',
  computer_call_output: 'caller',
  code_interpreter_call: 'assistant',
  image_generation_call: 'assistant',
  local_shell_call: 'assistant',
  local_shell_call_output: 'caller',
  shell_call: 'assistant',
  shell_call_output: 'caller',
  apply_patch_call: 'assistant',
  apply_patch_call_output: 'caller',
  custom_tool_call: 'assistant',
  custom_tool_call_output: 'caller',
  mcp_call: 'assistant',
  mcp_list_tools: 'assistant',
  mcp_approval_request: 'assistant',
  mcp_approval_response: 'caller',
  tool_search_call: 'assistant',
  tool_search_output: 'caller',
  additional_tools: 'caller',
  compaction: 'assistant',
  compaction_trigger: 'caller',
  item_reference: 'caller',
  program: 'assistant',
  program_output: 'caller',
};

/**
 * Opaque items whose loss changes nothing a caller relies on when the conversation goes to
 * another protocol (the answer that used them is in the message text): dropped with a warning.
 * Every other opaque item is a call and its result, or a reference, and refuses the call instead.
 */
export const DROPPABLE_ITEMS: ReadonlySet<string> = new Set([
  'web_search_call',
  'file_search_call',
  'code_interpreter_call',
  'image_generation_call',
  'mcp_list_tools',
  'tool_search_call',
  'tool_search_output',
  'compaction',
]);

/** Whether a Responses item type is one this codec knows. */
export function isOpaqueItemType(type: string): boolean {
  return Object.hasOwn(OPAQUE_ITEM_SIDES, type);
}
