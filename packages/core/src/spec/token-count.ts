/**
 * How many input tokens a request would cost, before it is sent: `exact` when the provider
 * counted it (Anthropic's `count_tokens`, Gemini's `:countTokens`), an estimate otherwise.
 */
export interface TokenCount {
  inputTokens: number;
  /** The provider counted it; false for a local (tokenizer or character) estimate. */
  exact: boolean;
  /** The provider that counted it, or whose model the estimate is for, when known. */
  provider?: string;
  /** The model counted for, when known. */
  model?: string;
}
