import { describe, expect, it } from 'vitest';
import { MockBackend } from './mock-backend.ts';

describe('MockBackend options', () => {
  it('refuses a misspelt option by name instead of ignoring it', () => {
    expect(() => new MockBackend({ replys: [] } as never)).toThrow(/unknown option 'replys'.*replies/);
  });
});
