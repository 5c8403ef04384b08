import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * Wraps an exporter so a failed export reaches `onError`: once when exports start failing, and
 * again only after one has succeeded (a collector that is down is one message, not one a batch).
 */
export function reportExportFailures(exporter: SpanExporter, onError: (error: Error) => void): SpanExporter {
  let failing = false;
  return {
    export(spans, resultCallback) {
      exporter.export(spans, (result) => {
        if (result.code === ExportResultCode.FAILED && !failing) {
          failing = true;
          try {
            onError(result.error ?? new Error('the span export failed'));
          } catch {
            // A reporting hook must not break the export pipeline.
          }
        } else if (result.code === ExportResultCode.SUCCESS) {
          failing = false;
        }
        resultCallback(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
