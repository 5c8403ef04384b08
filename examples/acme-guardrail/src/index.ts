export { type AcmeCodenameOptions, acmeCodenameGuardrail } from './acme-codename-guardrail.ts';
export { createGuardrail, default } from './acme-plugin.ts';
