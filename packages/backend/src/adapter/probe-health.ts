import { AiMateyError, type ModelInfo } from 'ai.matey.core';

/** A backend's health as `Backend.healthCheck` reports it. */
export interface HealthReport {
  healthy: boolean;
  latencyMs: number;
  message?: string;
}

/**
 * Probes a provider by listing its models (free at every provider that has the endpoint); a
 * provider without one is reported healthy, unprobed.
 */
export async function probeByListingModels(
  listModels: (() => Promise<ModelInfo[]>) | undefined,
): Promise<HealthReport> {
  const started = performance.now();
  if (!listModels)
    return { healthy: true, latencyMs: 0, message: 'not probed: the provider has no free endpoint to probe' };
  try {
    const models = await listModels();
    return { healthy: true, latencyMs: performance.now() - started, message: `${models.length} models` };
  } catch (error) {
    const message = AiMateyError.isInstance(error) ? error.message : String(error);
    return { healthy: false, latencyMs: performance.now() - started, message };
  }
}
