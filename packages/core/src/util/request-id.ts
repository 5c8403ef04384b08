/** A short, unique, URL-safe id for a call (`req_` + 20 random hex characters). */
export function createRequestId(prefix = 'req'): string {
  // 8-4-4-4-12: the first four groups are 20 hex characters (slices are cheaper than replaceAll).
  const uuid = crypto.randomUUID();
  return `${prefix}_${uuid.slice(0, 8)}${uuid.slice(9, 13)}${uuid.slice(14, 18)}${uuid.slice(19, 23)}`;
}
