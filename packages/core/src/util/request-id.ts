/** A short, unique, URL-safe id for a call (`req_` + 20 random characters). */
export function createRequestId(prefix = 'req'): string {
  return `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
}
