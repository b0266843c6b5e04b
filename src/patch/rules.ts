// THE patch-rules table: which path of an Integration / IntegrationResponse takes which op, what value, and how
// risky the change is. Validation, risk, the emulator and the README table all read these rows; nothing else
// hard-codes a patch path. Sources and confidence: ../shared/apigw-spec.md §2.3, §2.4, §7.
import { z } from 'zod';
import * as v from './values.js';
import type { Check, Doc, RuleEnv } from './values.js';

export const PatchOpName = z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']);
export type PatchOpName = z.infer<typeof PatchOpName>;

const PATCH_OP_FIELDS = ['op', 'path', 'value', 'from'];

/**
 * A PatchOperation exactly as boto3 / the AWS SDK take it: every field a string. Unknown fields are refused, not
 * dropped: a mistyped "vaule" must not turn into an op without its value.
 */
export const PatchOperationSchema = z.strictObject(
  {
    op: z.string().max(16).describe('add, remove or replace'),
    path: z.string().max(2048).describe('e.g. /timeoutInMillis, /requestTemplates/application~1json ("/" in a key is ~1)'),
    value: z.string().max(v.MAX_TEMPLATE_BYTES + 1).optional().describe('A string ("12000", "true"); omit for remove'),
    from: z.string().max(2048).optional().describe('Unused'),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown field(s) in a patch operation: ${iss.keys.join(', ')}; an operation has only ${PATCH_OP_FIELDS.join(', ')}` : undefined,
  },
);
export type PatchOperation = z.infer<typeof PatchOperationSchema>;

export const RiskLevel = z.enum(['safe', 'review', 'confirm']);
export type RiskLevel = z.infer<typeof RiskLevel>;
export const RISK_ORDER: readonly RiskLevel[] = RiskLevel.options;

export type Resource = 'integration' | 'integrationResponse';
type IntegrationType = (typeof v.INTEGRATION_TYPES)[number];

export interface PatchRule {
  resource: Resource | 'stage';
  /** The path as documented; `{name}` stands for one (escaped) map key or list member. */
  path: string;
  /** Where the value lives in the document. A keyed rule's field is a map (or, for `set`, a list of names). */
  field: readonly string[];
  /** For keyed paths: a map (`key -> value`) or a set (list addressed by value, e.g. cacheKeyParameters). */
  keyed?: { kind: 'map' | 'set'; check: Check };
  ops: readonly ('add' | 'remove' | 'replace')[];
  /** Describes the value for people and models. */
  value: string;
  /** Validates the value (not used for `remove`, nor for a `set`, whose value AWS ignores). */
  check: Check;
  /** add/replace may omit the value (a request template without a body means "pass through"). */
  valueOptional?: boolean;
  /** The stored type: values travel as strings but integrations hold numbers and booleans. */
  decode?: (value: string) => unknown;
  /** What an absent field means, as the op value that sets it (tlsConfig absent: certificates are verified). */
  absent?: string;
  /** Integration types the path applies to; absent = all. */
  types?: readonly IntegrationType[];
  risk: RiskLevel;
  /** A different level for particular values (turning TLS verification off is riskier than on). */
  riskByValue?: Readonly<Record<string, RiskLevel>>;
  /** Plain-language reason for the level, shown in plans and confirmations. */
  reason: string;
}

const HTTP_TYPES = ['HTTP', 'HTTP_PROXY'] as const;
const ENDPOINT_TYPES = ['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY'] as const;
const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];

export const RULES: readonly PatchRule[] = [
  // --- UpdateIntegration ---
  { resource: 'integration', path: '/uri', field: ['uri'], ops: ['replace'], types: ENDPOINT_TYPES,
    value: 'HTTP*: absolute http(s) URL; AWS: arn:aws:apigateway:{region}:{service}:path|action/...; AWS_PROXY: Lambda invoke ARN',
    check: v.integrationUri, risk: 'confirm', reason: 'points the method at a different backend' },
  { resource: 'integration', path: '/httpMethod', field: ['httpMethod'], ops: ['replace'], types: ENDPOINT_TYPES,
    value: v.HTTP_VERBS.join(' | ') + ' (the verb sent to the backend; Lambda: POST)',
    check: v.integrationVerb, risk: 'confirm', reason: 'changes the verb sent to the backend, which may call a different operation' },
  { resource: 'integration', path: '/credentials', field: ['credentials'], ops: ['replace'], types: ENDPOINT_TYPES,
    value: 'IAM role ARN, or arn:aws:iam::*:user/* to pass the caller identity',
    check: v.credentials, risk: 'confirm', reason: 'changes the IAM identity API Gateway uses to call the backend' },
  { resource: 'integration', path: '/passthroughBehavior', field: ['passthroughBehavior'], ops: ['replace'],
    value: 'WHEN_NO_MATCH | WHEN_NO_TEMPLATES | NEVER',
    check: v.oneOf(['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER']), risk: 'review', reason: 'changes which request bodies reach the backend unmapped' },
  { resource: 'integration', path: '/contentHandling', field: ['contentHandling'], ops: ['replace'],
    value: CONTENT_HANDLING.join(' | '), check: v.oneOf(CONTENT_HANDLING), risk: 'review', reason: 'changes how request bodies are encoded for the backend' },
  { resource: 'integration', path: '/timeoutInMillis', field: ['timeoutInMillis'], ops: ['replace'],
    value: 'integer ms, 50..29000 (--max-timeout-ms; up to 900000 with STREAM)', check: v.timeoutMs, decode: Number,
    risk: 'safe', reason: 'only changes how long API Gateway waits for the backend' },
  { resource: 'integration', path: '/cacheNamespace', field: ['cacheNamespace'], ops: ['replace'],
    value: 'string (default: the resource id)', check: v.nonEmpty('cacheNamespace', 128), risk: 'safe', reason: 'only groups cache entries' },
  { resource: 'integration', path: '/cacheKeyParameters/{name}', field: ['cacheKeyParameters'], keyed: { kind: 'set', check: v.cacheKey }, ops: ['add', 'remove'],
    value: 'none (the key is a declared method.request.* parameter)', check: v.anyText, valueOptional: true, risk: 'safe', reason: 'only changes what the cache is keyed on' },
  { resource: 'integration', path: '/requestParameters/{name}', field: ['requestParameters'], keyed: { kind: 'map', check: v.integrationRequestKey }, ops: ['add', 'remove', 'replace'],
    value: "source: method.request.{path|querystring|header}.{name} (declared on the method), stageVariables.*, context.*, or 'literal'",
    check: v.requestSource, risk: 'review', reason: 'changes which parameters are sent to the backend' },
  { resource: 'integration', path: '/requestTemplates/{name}', field: ['requestTemplates'], keyed: { kind: 'map', check: v.contentTypeKey }, ops: ['add', 'remove', 'replace'],
    value: 'VTL mapping template (empty: pass the body through); the key is a content type',
    check: v.template, valueOptional: true, risk: 'safe', reason: 'only reshapes the request body for one content type' },
  { resource: 'integration', path: '/connectionType', field: ['connectionType'], ops: ['replace'], types: HTTP_TYPES,
    value: 'INTERNET | VPC_LINK (VPC_LINK needs connectionId)', check: v.oneOf(['INTERNET', 'VPC_LINK']),
    risk: 'confirm', reason: 'changes the network path to the backend (public internet or a private VPC link)' },
  { resource: 'integration', path: '/connectionId', field: ['connectionId'], ops: ['replace'], types: HTTP_TYPES,
    value: 'VPC link id or ${stageVariables.name}', check: v.connectionId, risk: 'confirm', reason: 'routes traffic through a different VPC link' },
  { resource: 'integration', path: '/tlsConfig/insecureSkipVerification', field: ['tlsConfig', 'insecureSkipVerification'], ops: ['replace'], types: HTTP_TYPES,
    value: '"true" | "false"', check: v.booleanText, decode: (s) => s === 'true', absent: 'false',
    risk: 'safe', riskByValue: { true: 'confirm' },
    reason: "true stops API Gateway from verifying the backend's TLS certificate: anyone in the path could read or alter traffic (man-in-the-middle)" },
  { resource: 'integration', path: '/responseTransferMode', field: ['responseTransferMode'], ops: ['replace'],
    value: 'BUFFERED | STREAM (STREAM: HTTP_PROXY or AWS_PROXY only)', check: v.transferMode, risk: 'review', reason: 'changes how responses are delivered to callers' },
  { resource: 'integration', path: '/integrationTarget', field: ['integrationTarget'], ops: ['replace'], types: HTTP_TYPES,
    value: 'ALB/NLB ARN (VPC link v2)', check: v.loadBalancerArn, risk: 'confirm', reason: 'sends traffic to a different load balancer' },

  // --- UpdateIntegrationResponse ---
  { resource: 'integrationResponse', path: '/selectionPattern', field: ['selectionPattern'], ops: ['replace'],
    value: 'regex matched against the backend status code (HTTP/AWS) or Lambda error message; "" = default',
    check: v.anyText, risk: 'review', reason: 'changes which backend responses this mapping handles' },
  { resource: 'integrationResponse', path: '/contentHandling', field: ['contentHandling'], ops: ['replace'],
    value: CONTENT_HANDLING.join(' | '), check: v.oneOf(CONTENT_HANDLING), risk: 'review', reason: 'changes how response bodies are encoded' },
  { resource: 'integrationResponse', path: '/responseParameters/{name}', field: ['responseParameters'], keyed: { kind: 'map', check: v.methodResponseHeaderKey }, ops: ['add', 'remove', 'replace'],
    value: "integration.response.header.{name}, integration.response.body[.path], stageVariables.*, context.*, or 'literal'; the key method.response.header.{name} must be declared on the method response",
    check: v.responseSource, risk: 'review', reason: 'changes the headers callers receive' },
  { resource: 'integrationResponse', path: '/responseTemplates/{name}', field: ['responseTemplates'], keyed: { kind: 'map', check: v.contentTypeKey }, ops: ['add', 'remove', 'replace'],
    value: 'VTL mapping template; the key is a content type', check: v.template, valueOptional: true, risk: 'safe', reason: 'only reshapes the response body for one content type' },
];

/** Whole-document rules checked after all ops are applied: they span several fields. */
export const INVARIANTS: readonly { resource: Resource; check: (doc: Doc, env: RuleEnv) => string | undefined }[] = [
  { resource: 'integration', check: (d) => (d.connectionType === 'VPC_LINK' && !d.connectionId ? 'connectionType VPC_LINK needs a connectionId (replace /connectionId in the same call)' : undefined) },
  {
    resource: 'integration',
    check: (d, env) => {
      const max = v.timeoutCeiling(env, d);
      return typeof d.timeoutInMillis === 'number' && d.timeoutInMillis > max
        ? `timeoutInMillis ${d.timeoutInMillis} exceeds ${max} ms allowed with responseTransferMode ${d.responseTransferMode ?? 'BUFFERED'}; lower the timeout in the same call`
        : undefined;
    },
  },
];

/** The level of one op: the row's level, or the level its value calls for. */
export function riskOf(rule: PatchRule, op: Pick<PatchOperation, 'op' | 'value'>): RiskLevel {
  return (op.op !== 'remove' && op.value !== undefined && rule.riskByValue?.[op.value]) || rule.risk;
}

export function maxRisk(levels: Iterable<RiskLevel>): RiskLevel {
  let max: RiskLevel = 'safe';
  for (const l of levels) if (RISK_ORDER.indexOf(l) > RISK_ORDER.indexOf(max)) max = l;
  return max;
}

export function rulesFor(resource: Resource): PatchRule[] {
  return RULES.filter((r) => r.resource === resource);
}
