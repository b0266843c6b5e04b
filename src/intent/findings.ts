// The review behind audit_integrations and the audit-api-integrations prompt: risky settings of each integration,
// as a table of checks, each with a severity, a plain reason, and the exact tool call that would fix it.
import type { Doc } from '../patch/values.js';

export type Severity = 'high' | 'medium' | 'low';

export interface Finding {
  check: string;
  severity: Severity;
  reason: string;
  /** The call that fixes it (arguments besides the target, which the caller adds). */
  fix: { tool: string; arguments: Record<string, unknown> };
}

interface Check {
  id: string;
  severity: Severity;
  applies(i: Doc, env: { maxTimeoutMs: number }): boolean;
  reason(i: Doc, env: { maxTimeoutMs: number }): string;
  fix(i: Doc): Finding['fix'];
}

const HTTP_TYPES = ['HTTP', 'HTTP_PROXY'];
/** Non-proxy types with a backend: a proxy passes bodies through by design, a MOCK has no backend to reach. */
const MAPPED_BACKEND_TYPES = ['HTTP', 'AWS'];
/** Hosts that are only reachable inside a network: they need a VPC link, not the public internet. */
const PRIVATE_HOST = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|localhost$)|\.(internal|local|lan|corp|intranet)$/i;
const hostOf = (uri: unknown) => /^https?:\/\/([^/:?#]+)/i.exec(String(uri ?? ''))?.[1] ?? '';
const hasTemplates = (i: Doc) => Object.keys(i.requestTemplates ?? {}).length > 0;

const CHECKS: readonly Check[] = [
  {
    id: 'tls-verification-off',
    severity: 'high',
    applies: (i) => HTTP_TYPES.includes(i.type) && i.tlsConfig?.insecureSkipVerification === true,
    reason: () => "TLS certificate verification of the backend is off: anyone in the network path could read or alter the traffic (man-in-the-middle).",
    fix: () => ({ tool: 'set_tls_verification', arguments: { insecureSkipVerification: false } }),
  },
  {
    id: 'private-backend-over-internet',
    severity: 'high',
    applies: (i) => HTTP_TYPES.includes(i.type) && i.connectionType !== 'VPC_LINK' && PRIVATE_HOST.test(hostOf(i.uri)),
    reason: (i) => `The backend ${hostOf(i.uri)} looks private, but the integration goes over the internet: use a VPC link to reach private backends.`,
    fix: () => ({ tool: 'update_integration', arguments: { connection: { type: 'VPC_LINK', id: '<your VPC link id>' } } }),
  },
  {
    id: 'timeout-at-maximum',
    severity: 'medium',
    applies: (i, env) => typeof i.timeoutInMillis === 'number' && i.timeoutInMillis >= env.maxTimeoutMs && i.type !== 'MOCK',
    reason: (i) => `The timeout is at the maximum (${i.timeoutInMillis} ms): a slow backend holds callers and connections as long as API Gateway allows; a timeout near the backend's real latency fails fast.`,
    fix: () => ({ tool: 'set_timeout', arguments: { timeoutInMillis: 10000 } }),
  },
  {
    id: 'passthrough-with-templates',
    severity: 'medium',
    applies: (i) => MAPPED_BACKEND_TYPES.includes(i.type) && (i.passthroughBehavior ?? 'WHEN_NO_MATCH') === 'WHEN_NO_MATCH' && hasTemplates(i),
    reason: (i) => `Templates exist (${Object.keys(i.requestTemplates).join(', ')}), but passthrough is WHEN_NO_MATCH: a request with any other content type reaches the backend unmapped.`,
    fix: () => ({ tool: 'update_integration', arguments: { passthroughBehavior: 'WHEN_NO_TEMPLATES' } }),
  },
  {
    id: 'no-integration-responses',
    severity: 'medium',
    applies: (i) => !i.type?.endsWith('_PROXY') && Object.keys(i.integrationResponses ?? {}).length === 0,
    reason: () => 'A non-proxy integration without integration responses returns nothing useful to callers (API Gateway needs a mapping, at least a default 200).',
    fix: () => ({ tool: 'update_integration_response', arguments: { statusCode: '200', selectionPattern: '', create: true } }),
  },
];

export function findingsFor(integration: Doc, env: { maxTimeoutMs: number }): Finding[] {
  return CHECKS.filter((c) => c.applies(integration, env)).map((c) => ({ check: c.id, severity: c.severity, reason: c.reason(integration, env), fix: c.fix(integration) }));
}

export const CHECK_IDS = CHECKS.map((c) => c.id);
