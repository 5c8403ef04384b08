import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** An attribute value as OTLP/JSON carries it, decoded to plain JS. */
export type OtlpValue = string | number | boolean | null | OtlpValue[] | { [key: string]: OtlpValue };

/** One span as the receiver decoded it, with its resource and scope. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind number: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, OtlpValue>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  events: string[];
  /** Start and end, in milliseconds since the epoch. */
  startMs: number;
  endMs: number;
  scope: string;
  resource: Record<string, OtlpValue>;
}

export interface OtlpReceiver {
  /** The base URL, as an OTLP/HTTP exporter's endpoint (`/v1/traces` is where spans go). */
  url: string;
  /** Every span received so far, in arrival order. */
  spans: ReceivedSpan[];
  /** The headers of each export request. */
  exports: IncomingHttpHeaders[];
  /** Resolves with the spans once `predicate` holds (checked on each export), or rejects after `timeoutMs`. */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue;
}
interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
  bytesValue?: string;
}
interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: JsonKeyValue[];
  status?: { code?: number; message?: string };
  events?: Array<{ name: string }>;
}
interface JsonExport {
  resourceSpans?: Array<{
    resource?: { attributes?: JsonKeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: JsonSpan[] }>;
  }>;
}

/**
 * A small OTLP/HTTP trace receiver for tests: `POST /v1/traces` with the JSON encoding (what
 * `@opentelemetry/exporter-trace-otlp-http` sends), gzip or not. Anything else is refused with
 * 415, so an exporter switched to protobuf fails loudly instead of exporting into nothing.
 *
 * @example
 * const receiver = await startOtlpReceiver();
 * // configure the exporter with `${receiver.url}/v1/traces`, make calls, then:
 * const spans = await receiver.waitFor((all) => all.some((s) => s.name.startsWith('chat ')));
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const exports: IncomingHttpHeaders[] = [];
  const waiters = new Set<() => void>();
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    if (!request.headers['content-type']?.startsWith('application/json')) {
      response.writeHead(415, { 'content-type': 'text/plain' }).end('only OTLP/JSON is decoded here');
      return;
    }
    let body = Buffer.concat(chunks);
    if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    let decoded: JsonExport;
    try {
      decoded = JSON.parse(body.toString('utf8')) as JsonExport;
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('malformed JSON');
      return;
    }
    exports.push(request.headers);
    spans.push(...decodeExport(decoded));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    exports,
    waitFor(predicate, timeoutMs = 10_000) {
      if (predicate(spans)) return Promise.resolve(spans);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`OTLP receiver: condition not met in ${timeoutMs} ms (${spans.length} spans)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(spans)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(spans);
        };
        waiters.add(check);
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function decodeExport(body: JsonExport): ReceivedSpan[] {
  const decoded: ReceivedSpan[] = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        decoded.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          name: span.name,
          kind: span.kind ?? 0,
          attributes: attributesOf(span.attributes),
          status: {
            code: span.status?.code ?? 0,
            ...(span.status?.message ? { message: span.status.message } : {}),
          },
          events: (span.events ?? []).map((event) => event.name),
          startMs: millisecondsOf(span.startTimeUnixNano),
          endMs: millisecondsOf(span.endTimeUnixNano),
          scope: scopeSpans.scope?.name ?? '',
          resource,
        });
      }
    }
  }
  return decoded;
}

/** fixed64 nanoseconds, a decimal string in OTLP/JSON (or a number from some encoders). */
function millisecondsOf(nanoseconds: string | number | undefined): number {
  if (nanoseconds === undefined) return Number.NaN;
  return Number(BigInt(nanoseconds) / 1000n) / 1000;
}

function attributesOf(list: JsonKeyValue[] | undefined): Record<string, OtlpValue> {
  const attributes: Record<string, OtlpValue> = {};
  for (const { key, value } of list ?? []) attributes[key] = decodeValue(value);
  return attributes;
}

function decodeValue(value: JsonAnyValue | undefined): OtlpValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  // int64 may come as a JSON string (the proto3 JSON mapping) or a number.
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeValue);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}
