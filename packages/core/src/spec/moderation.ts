/** A moderation call: texts to classify, each judged on its own. */
export interface ModerationRequest {
  input: string[];
  /** The provider's moderation model (`omni-moderation-latest`); default the provider's. */
  model?: string;
}

/** The verdict on one input: flagged or not, and why, by category. */
export interface ModerationResult {
  flagged: boolean;
  /** Category name (`harassment`, `violence/graphic`, …) to whether it was found. */
  categories: Record<string, boolean>;
  /** Category name to the classifier's score, 0 to 1. */
  categoryScores: Record<string, number>;
}

export interface ModerationResponse {
  /** The provider's id of the call. */
  id: string;
  model: string;
  provider: string;
  /** One per input, in order. */
  results: ModerationResult[];
}
