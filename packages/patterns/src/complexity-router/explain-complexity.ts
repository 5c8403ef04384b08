/** One factor of a complexity score and the points it added. */
export interface ComplexityPart {
  factor: 'length' | 'keyword' | 'math' | 'acronym';
  points: number;
  /** Why it scored, in words a person reads in a log (`12 words`, `contains 'explain'`). */
  reason: string;
}

/** A complexity score (0–100) with the parts it is made of. */
export interface ComplexityExplanation {
  score: number;
  parts: ComplexityPart[];
}

const COMPLEX_KEYWORDS = ['analyze', 'explain', 'compare', 'evaluate', 'synthesize'];
const MATH = /\d+\s*[+\-*/]\s*\d+/;
const ACRONYM = /[A-Z]{2,}/;

/**
 * Scores how demanding a query is, exactly as the seed's `analyzeComplexity` does, but says why:
 * half a point per word (at most 30), 20 for an analysis keyword, 15 for arithmetic, 10 for an
 * acronym, capped at 100. Every factor is listed, with 0 points when it did not apply.
 *
 * @example
 * explainComplexity('Explain TCP congestion control');
 * // { score: 32, parts: [{ factor: 'length', points: 2, … }, { factor: 'keyword', points: 20, … }, …] }
 */
export function explainComplexity(query: string): ComplexityExplanation {
  // The seed counts `split(/\s+/)` pieces as words; kept as is so scores match it exactly.
  const wordCount = query.split(/\s+/).length;
  const lower = query.toLowerCase();
  const keyword = COMPLEX_KEYWORDS.find((candidate) => lower.includes(candidate));
  const math = MATH.exec(query)?.[0];
  const acronym = ACRONYM.exec(query)?.[0];
  const parts: ComplexityPart[] = [
    { factor: 'length', points: Math.min(wordCount / 2, 30), reason: `${wordCount} words` },
    {
      factor: 'keyword',
      points: keyword ? 20 : 0,
      reason: keyword ? `contains '${keyword}'` : 'no analysis keyword',
    },
    { factor: 'math', points: math ? 15 : 0, reason: math ? `formula '${math}'` : 'no formula' },
    {
      factor: 'acronym',
      points: acronym ? 10 : 0,
      reason: acronym ? `acronym '${acronym}'` : 'no acronym',
    },
  ];
  const total = parts.reduce((sum, part) => sum + part.points, 0);
  return { score: Math.min(total, 100), parts };
}

/** The seed's `analyzeComplexity`: just the score. */
export function analyzeComplexity(query: string): number {
  return explainComplexity(query).score;
}
