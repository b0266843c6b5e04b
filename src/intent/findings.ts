// The review behind audit_integrations and the audit-api-integrations prompt: risky settings of each integration,
// as a table of checks, each with a severity, a plain reason, and the tool call that fixes it. A fix this server
// would refuse as given is marked not ready, with what it needs first (a value only a human has, or a change this
// server does not make), so an agent never applies a placeholder or a call that is bound to fail.
import { MIN_TIMEOUT_MS, timeoutCeiling, type Doc } from '../patch/values.js';

export type Severity = 'high' | 'medium' | 'low';

/** What a fix needs before its call can be made. */
export type Need =
  /** A value only a human can give: put it at `argument` (a dotted path into the fix's arguments). */
  | { kind: 'value'; argument: string; what: string; where: string }
  /** A change this server does not make (e.g. a method response), done elsewhere first. */
  | { kind: 'outside'; what: string; where: string };

export interface Fix {
  tool: string;
  /** Arguments besides the target, which the caller adds. */
  arguments: Record<string, unknown>;
}

export interface Finding {
  check: string;
  severity: Severity;
  reason: string;
  /** true: `fix` can be applied exactly as given. false: meet `needs` first; `fix` is the call to make afterwards. */
  ready: boolean;
  needs?: Need;
  fix: Fix;
}

/** Where the method is, for the texts that name it (e.g. an AWS CLI command). */
export interface MethodAt {
  restApiId: string;
  resourceId: string;
  resourcePath: string;
  httpMethod: string;
}

/** What a check sees: the integration, its Method (GetResources embed=methods carries methodResponses too), where. */
interface Seen {
  i: Doc;
  m: Doc;
  at?: MethodAt;
  env: { maxTimeoutMs: number };
}

interface Check {
  id: string;
  severity: Severity;
  applies(s: Seen): boolean;
  reason(s: Seen): string;
  fix(s: Seen): Fix & { needs?: Need };
}

const HTTP_TYPES = ['HTTP', 'HTTP_PROXY'];
/** Non-proxy types with a backend: a proxy passes bodies through by design, a MOCK has no backend to reach. */
const MAPPED_BACKEND_TYPES = ['HTTP', 'AWS'];
/** Hosts that are only reachable inside a network: they need a VPC link, not the public internet. */
const PRIVATE_HOST = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|localhost$)|\.(internal|local|lan|corp|intranet)$/i;
const hostOf = (uri: unknown) => /^https?:\/\/([^/:?#]+)/i.exec(String(uri ?? ''))?.[1] ?? '';
const hasTemplates = (i: Doc) => Object.keys(i.requestTemplates ?? {}).length > 0;
/** The same ceiling the write checks against (STREAM allows 15 minutes), so "at the maximum" means what it says. */
const ceiling = (s: Seen) => timeoutCeiling({ maxTimeoutMs: s.env.maxTimeoutMs }, s.i);
/** 10 s, unless the configured maximum is lower: the suggestion must stay within what set_timeout accepts. */
const suggestedTimeout = (s: Seen) => Math.min(10_000, Math.max(MIN_TIMEOUT_MS, Math.floor(ceiling(s) / 2)));
/** The code a default integration response maps to: a declared 2xx method response, 200 first. */
const successCode = (m: Doc) =>
  Object.keys(m.methodResponses ?? {})
    .sort()
    .find((c) => c.startsWith('2'));

const CHECKS: readonly Check[] = [
  {
    id: 'tls-verification-off',
    severity: 'high',
    applies: ({ i }) => HTTP_TYPES.includes(i.type) && i.tlsConfig?.insecureSkipVerification === true,
    reason: () => "TLS certificate verification of the backend is off: anyone in the network path could read or alter the traffic (man-in-the-middle).",
    fix: () => ({ tool: 'set_tls_verification', arguments: { insecureSkipVerification: false } }),
  },
  {
    id: 'private-backend-over-internet',
    severity: 'high',
    applies: ({ i }) => HTTP_TYPES.includes(i.type) && i.connectionType !== 'VPC_LINK' && PRIVATE_HOST.test(hostOf(i.uri)),
    reason: ({ i }) => `The backend ${hostOf(i.uri)} looks private, but the integration goes over the internet: use a VPC link to reach private backends.`,
    // No tool here lists VPC links, and a guessed id is refused: a human names the link.
    fix: ({ i }) => ({
      tool: 'update_integration',
      arguments: { connection: { type: 'VPC_LINK' } },
      needs: {
        kind: 'value',
        argument: 'connection.id',
        what: `The id of the VPC link that reaches ${hostOf(i.uri)} (this server cannot list VPC links); ask a human, set it as connection.id, then make the fix call.`,
        where: 'API Gateway console > VPC links, or `aws apigateway get-vpc-links`',
      },
    }),
  },
  {
    id: 'timeout-at-maximum',
    severity: 'medium',
    applies: (s) => typeof s.i.timeoutInMillis === 'number' && s.i.timeoutInMillis >= ceiling(s) && s.i.type !== 'MOCK',
    reason: ({ i }) => `The timeout is at the maximum (${i.timeoutInMillis} ms): a slow backend holds callers and connections as long as API Gateway allows; a timeout near the backend's real latency fails fast.`,
    fix: (s) => ({ tool: 'set_timeout', arguments: { timeoutInMillis: suggestedTimeout(s) } }),
  },
  {
    id: 'passthrough-with-templates',
    severity: 'medium',
    applies: ({ i }) => MAPPED_BACKEND_TYPES.includes(i.type) && (i.passthroughBehavior ?? 'WHEN_NO_MATCH') === 'WHEN_NO_MATCH' && hasTemplates(i),
    reason: ({ i }) => `Templates exist (${Object.keys(i.requestTemplates).join(', ')}), but passthrough is WHEN_NO_MATCH: a request with any other content type reaches the backend unmapped.`,
    fix: () => ({ tool: 'update_integration', arguments: { passthroughBehavior: 'WHEN_NO_TEMPLATES' } }),
  },
  {
    id: 'no-integration-responses',
    severity: 'medium',
    applies: ({ i }) => !i.type?.endsWith('_PROXY') && Object.keys(i.integrationResponses ?? {}).length === 0,
    reason: () => 'A non-proxy integration without integration responses returns nothing useful to callers (API Gateway needs a mapping, at least a default one).',
    // The default response maps onto a declared 2xx method response (200 first); without one the fix creates
    // method response 200 with it (update_integration_response plans it), so the fix is always ready.
    fix: ({ m }) => ({ tool: 'update_integration_response', arguments: { statusCode: successCode(m) ?? '200', selectionPattern: '', create: true } }),
  },
];

/**
 * The findings for one integration. Its Method tells which method responses exist (without it, none are assumed,
 * so a fix that needs one is never offered as ready); `at` names the method in the texts.
 */
export function findingsFor(integration: Doc, env: { maxTimeoutMs: number }, where: { method?: Doc; at?: MethodAt } = {}): Finding[] {
  const seen: Seen = { i: integration, m: where.method ?? {}, at: where.at, env };
  return CHECKS.filter((c) => c.applies(seen)).map((c) => {
    const { needs, ...fix } = c.fix(seen);
    return { check: c.id, severity: c.severity, reason: c.reason(seen), ready: !needs, ...(needs ? { needs } : {}), fix };
  });
}

export const CHECK_IDS = CHECKS.map((c) => c.id);
