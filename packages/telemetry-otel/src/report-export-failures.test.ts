import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { reportExportFailures } from './report-export-failures.ts';

/** An exporter whose results are scripted, one per export. */
function scripted(results: ExportResult[]): SpanExporter {
  return {
    export: (_spans, done) => done(results.shift() ?? { code: ExportResultCode.SUCCESS }),
    shutdown: async () => {},
  };
}

const failed = (message: string): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: new Error(message),
});
const ok: ExportResult = { code: ExportResultCode.SUCCESS };

describe('reportExportFailures', () => {
  it('reports a run of failures once, again after a success, and passes every result on', () => {
    const reported: string[] = [];
    const exporter = reportExportFailures(
      scripted([failed('refused'), failed('refused again'), ok, failed('down once more')]),
      (error) => reported.push(error.message),
    );
    const results: ExportResultCode[] = [];
    for (let i = 0; i < 4; i++) exporter.export([] as ReadableSpan[], (result) => results.push(result.code));
    expect(reported).toEqual(['refused', 'down once more']);
    expect(results).toEqual([
      ExportResultCode.FAILED,
      ExportResultCode.FAILED,
      ExportResultCode.SUCCESS,
      ExportResultCode.FAILED,
    ]);
  });

  it('keeps exporting when the hook throws', () => {
    const exporter = reportExportFailures(scripted([failed('refused')]), () => {
      throw new Error('hook broke');
    });
    let code: ExportResultCode | undefined;
    exporter.export([], (result) => {
      code = result.code;
    });
    expect(code).toBe(ExportResultCode.FAILED);
  });
});
