import type { Backend } from 'ai.matey.core';

/** The probe used when none is given: `backend.healthCheck()`, else a one-token call. */
export async function defaultProbe(backend: Backend, signal: AbortSignal): Promise<void> {
  if (backend.healthCheck) {
    const result = await backend.healthCheck({ signal });
    if (!result.healthy) throw new Error(result.message ?? 'The backend reports itself unhealthy');
    return;
  }
  await backend.execute(
    { messages: [{ role: 'user', content: 'Health check' }], maxOutputTokens: 1 },
    { signal },
  );
}
