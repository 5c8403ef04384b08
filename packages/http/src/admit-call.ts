import { type ChatRequest, InvalidRequestError, PermissionDeniedError } from 'ai.matey.core';
import type { ExtraFieldPolicy } from 'ai.matey.wire';
import { sortExtraFields } from './extra-fields.ts';
import type { GatewayKey } from './gateway-keys.ts';

/** What the gateway's policy admits a call by. */
export interface AdmitRules {
  maxMessages: number;
  /** Whether the key may use a model under any of these names. */
  allowsModel(key: GatewayKey | undefined, ...names: string[]): boolean;
  fieldPolicies: ReadonlyMap<string, ExtraFieldPolicy>;
  /** Providers that may receive fields no codec knows. */
  passThrough: ReadonlySet<string>;
}

/**
 * Throws the refusal when the key may not make this call (a chat call or a token count): too
 * many messages, a malformed or forbidden model, fields that change the cost or the route.
 */
export function admitCall(key: GatewayKey | undefined, request: ChatRequest, rules: AdmitRules): void {
  if (request.messages.length > rules.maxMessages) {
    throw new InvalidRequestError({
      message: `The request has ${request.messages.length} messages; the limit is ${rules.maxMessages}`,
      param: 'messages',
    });
  }
  admitModel(key, request, rules.allowsModel);
  const fields = sortExtraFields(request, rules.fieldPolicies);
  if (key && isRestricted(key) && fields.restricted.length > 0) {
    throw new PermissionDeniedError({
      message: `This API key may not send ${quoted(fields.restricted)} (it changes the cost or the route of a call)`,
      param: fields.restricted[0],
      code: 'parameter_not_allowed',
    });
  }
  if (fields.unknown.length > 0 && rules.passThrough.size === 0) {
    throw new InvalidRequestError({
      message: `Unknown parameter ${quoted(fields.unknown)}: the gateway sends no unknown fields upstream unless a provider allows pass-through`,
      param: fields.unknown[0],
      code: 'unknown_parameter',
    });
  }
}

/**
 * Throws the refusal when the call's model is not a model name, or one the key may not use (a
 * chat call, a count, an embedding). With no model named, each attempt is checked against the
 * model the backend picks.
 */
export function admitModel(
  key: GatewayKey | undefined,
  request: Pick<ChatRequest, 'model' | 'metadata'>,
  allowsModel: AdmitRules['allowsModel'],
): void {
  if (request.model !== undefined && !MODEL_NAME.test(request.model)) {
    throw new InvalidRequestError({
      message: 'The model name must be 1 to 256 printable ASCII characters without spaces',
      param: 'model',
      code: 'invalid_model_name',
    });
  }
  const provider = request.metadata?.provider;
  const names = request.model
    ? [request.model, ...(typeof provider === 'string' ? [`${provider}/${request.model}`] : [])]
    : [];
  if (names.length > 0 && !allowsModel(key, ...names)) {
    throw new PermissionDeniedError({
      message: `This API key may not use model '${request.model}'`,
      param: 'model',
      code: 'model_not_allowed',
    });
  }
}

/** A key with any limit: its extra fields may not raise the cost or change the route. */
function isRestricted(key: GatewayKey): boolean {
  return (
    key.allowedModels !== undefined ||
    key.budgetUsdPerDay !== undefined ||
    key.requestsPerMinute !== undefined
  );
}

export function quoted(names: string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

// Every provider's model ids are printable ASCII (`accounts/x/models/y`, `ft:gpt-4o:org::id`, `@cf/…`).
const MODEL_NAME = /^[\x21-\x7e]{1,256}$/;
