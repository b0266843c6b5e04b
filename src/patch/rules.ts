// THE patch-rules table: which path of which resource (Method, MethodResponse, Integration, IntegrationResponse)
// takes which op, what value, and how risky the change is. Validation, risk, the plan engine, the emulator, the
// tools' intent fields and the README table all read these rows; nothing else hard-codes a patch path.
// Sources and confidence: ../shared/apigw-spec.md §2.3, §2.4, §2.5, §7, §9.
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

export const RESOURCES = ['method', 'methodResponse', 'integration', 'integrationResponse', 'stage'] as const;
export type Resource = (typeof RESOURCES)[number];
/** How people and the README name each resource kind. */
export const RESOURCE_TITLES: Record<Resource, string> = {
  method: 'Method',
  methodResponse: 'MethodResponse',
  integration: 'Integration',
  integrationResponse: 'IntegrationResponse',
  stage: 'Stage',
};
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
  /** The values allowed, where they are a fixed list: the intent field's enum, and `check` (oneOf). */
  choices?: readonly string[];
  /** add/replace may omit the value (a request template without a body means "pass through"). */
  valueOptional?: boolean;
  /** The stored type: values travel as strings but resources hold numbers and booleans. */
  decode?: (value: string) => unknown;
  /** What an absent field means, as the op value that sets it (tlsConfig absent: certificates are verified). */
  absent?: string;
  /** The same, in words a person reads on an approval page ("verified (default)"). */
  absentMeaning?: string;
  /** Integration types the path applies to; absent = all. */
  types?: readonly IntegrationType[];
  risk: RiskLevel;
  /** A different level for particular values (turning TLS verification off is riskier than on). */
  riskByValue?: Readonly<Record<string, RiskLevel>>;
  /** A different level for particular keys and values of a map entry (a literal Authorization header). */
  riskByEntry?: (key: string, value: string | undefined) => { risk: RiskLevel; reason: string } | undefined;
  /** Plain-language reason for the level, shown in plans and confirmations. */
  reason: string;
  /** What setting it is, in words for a person: "TLS certificate verification", "Timeout". */
  label?: string;
  /** A stored value in words, where the value itself reads badly (true -> "NOT verified"). */
  meaning?: (value: unknown) => string | undefined;
  /** The start of a change's title by value ('*': any), for the riskiest such op: "Turn off TLS certificate verification for". */
  does?: Readonly<Record<string, string>>;
  /** The tool field (update_integration, update_integration_response, update_method) that sets this row. */
  intent?: string;
  /** That field's description in the tool catalog (terse: a model reads it on every conversation). */
  hint?: string;
  /** `replace` of a missing map key: AWS answers 404 on method responses; for integrations it is taken as add (§8). */
  replaceNeedsKey?: boolean;
  /** AWS's text for removing a map key that is not there. */
  missingKey?: string;
  /** API Gateway takes this path, but this server never sends it (the emulator still serves it). */
  notByServer?: string;
}

const HTTP_TYPES = ['HTTP', 'HTTP_PROXY'] as const;
const ENDPOINT_TYPES = ['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY'] as const;
export const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'] as const;
export const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'] as const;
export const CONNECTION_TYPES = ['INTERNET', 'VPC_LINK'] as const;
export const TRANSFER_MODES = ['BUFFERED', 'STREAM'] as const;
export const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'] as const;
const bool = (s: string) => s === 'true';
const METHOD_ONLY = 'this server changes only request parameters and method responses of a method (authorization, API keys, validators and models are left to you)';

const SENSITIVE_HEADER_REASON =
  'a fixed Host, Authorization, X-Api-Key, Cookie or X-Forwarded-* header re-routes or re-authenticates every call to the backend';

export const RULES: readonly PatchRule[] = [
  // --- UpdateMethod (§2.5): this server declares request parameters; the other paths are the emulator's. ---
  { resource: 'method', path: '/requestParameters/{name}', field: ['requestParameters'], keyed: { kind: 'map', check: v.methodRequestName }, ops: ['add', 'remove', 'replace'],
    value: '"true" (required) | "false" (optional); the key is method.request.{path|querystring|header}.{name}', check: v.booleanText, decode: bool,
    risk: 'review', riskByValue: { false: 'safe' }, reason: 'a required parameter (or removing one) changes what callers must send', label: 'Declared request parameter', absentMeaning: 'not declared',
    intent: 'requestParameters', hint: 'method.request.* -> required (null removes)', missingKey: 'Invalid parameter name specified' },
  { resource: 'method', path: '/requestModels/{name}', field: ['requestModels'], keyed: { kind: 'map', check: v.contentTypeKey }, ops: ['add', 'remove', 'replace'],
    value: 'a model name', check: v.modelName, risk: 'review', reason: 'changes the request model', notByServer: METHOD_ONLY, missingKey: 'Content-Type specified was not found' },
  { resource: 'method', path: '/authorizationType', field: ['authorizationType'], ops: ['replace'], value: AUTHORIZATION_TYPES.join(' | '),
    check: (x, env) => { const p = v.oneOf(AUTHORIZATION_TYPES)(x, env); return p && { ...p, aws: `Invalid authorization type specified: ${x}` }; },
    choices: AUTHORIZATION_TYPES, risk: 'confirm', reason: 'changes who may call the method', notByServer: METHOD_ONLY },
  { resource: 'method', path: '/authorizerId', field: ['authorizerId'], ops: ['replace'], value: 'an authorizer id', check: v.anyText,
    risk: 'confirm', reason: 'changes who may call the method', notByServer: METHOD_ONLY },
  // AWS takes any value here and stores "true" as true, anything else as false (recorded).
  { resource: 'method', path: '/apiKeyRequired', field: ['apiKeyRequired'], ops: ['replace'], value: '"true" | "false"', check: v.anyText, decode: bool,
    risk: 'confirm', reason: 'changes who may call the method', notByServer: METHOD_ONLY },
  { resource: 'method', path: '/operationName', field: ['operationName'], ops: ['replace'], value: 'string', check: v.anyText, risk: 'safe', reason: 'only names the operation', notByServer: METHOD_ONLY },
  { resource: 'method', path: '/requestValidatorId', field: ['requestValidatorId'], ops: ['replace'], value: 'a request validator id', check: v.requestValidator,
    risk: 'review', reason: 'changes which requests are refused', notByServer: METHOD_ONLY },

  // --- UpdateMethodResponse (§9.1) ---
  { resource: 'methodResponse', path: '/responseParameters/{name}', field: ['responseParameters'], keyed: { kind: 'map', check: v.methodResponseHeaderName }, ops: ['add', 'remove', 'replace'],
    value: '"true" | "false" (required); the key is method.response.header.{name}', check: v.booleanText, decode: bool,
    risk: 'safe', reason: 'only declares a response header (a mapping then sets it)', label: 'Declared response header', absentMeaning: 'not declared', intent: 'responseParameters', hint: 'method.response.header.* -> required (null removes)',
    replaceNeedsKey: true, missingKey: 'Invalid parameter name specified' },
  { resource: 'methodResponse', path: '/responseModels/{name}', field: ['responseModels'], keyed: { kind: 'map', check: v.contentTypeKey }, ops: ['add', 'remove', 'replace'],
    value: 'a model name such as Empty; the key is a content type', check: v.modelName, risk: 'safe', reason: 'only documents the response body', label: 'Response model for', absentMeaning: 'none',
    intent: 'responseModels', hint: 'content type -> model (null removes)', replaceNeedsKey: true, missingKey: 'Content-Type specified was not found' },

  // --- UpdateIntegration ---
  { resource: 'integration', path: '/timeoutInMillis', field: ['timeoutInMillis'], ops: ['replace'],
    value: 'integer ms, 50..29000 (--max-timeout-ms; up to 900000 with STREAM)', check: v.timeoutMs, decode: Number,
    absentMeaning: '29000 ms (default)', meaning: (v) => `${String(v)} ms`, risk: 'safe', reason: 'only changes how long API Gateway waits for the backend', label: 'Timeout', intent: 'timeoutInMillis', hint: 'ms, 50..29000' },
  { resource: 'integration', path: '/uri', field: ['uri'], ops: ['replace'], types: ENDPOINT_TYPES,
    value: 'HTTP*: absolute http(s) URL; AWS: arn:aws:apigateway:{region}:{service}:path|action/...; AWS_PROXY: Lambda invoke ARN',
    check: v.integrationUri, absentMeaning: 'none', does: { '*': 'Point at a different backend:' }, risk: 'confirm', reason: 'points the method at a different backend', label: 'Backend URL', intent: 'uri', hint: 'Backend URL/ARN (human OK)' },
  { resource: 'integration', path: '/httpMethod', field: ['httpMethod'], ops: ['replace'], types: ENDPOINT_TYPES,
    value: v.HTTP_VERBS.join(' | ') + ' (the verb sent to the backend; Lambda: POST)', choices: v.HTTP_VERBS,
    check: v.integrationVerb, absentMeaning: 'none', does: { '*': 'Change the verb sent to the backend by' }, risk: 'confirm', reason: 'changes the verb sent to the backend, which may call a different operation', label: 'Verb sent to the backend', intent: 'integrationHttpMethod', hint: 'Backend verb (human OK)' },
  { resource: 'integration', path: '/credentials', field: ['credentials'], ops: ['replace'], types: ENDPOINT_TYPES,
    value: 'IAM role ARN, or arn:aws:iam::*:user/* to pass the caller identity',
    check: v.credentials, absentMeaning: 'none (default)', does: { '*': 'Change the IAM credentials of' }, risk: 'confirm', reason: 'changes the IAM identity API Gateway uses to call the backend', label: 'IAM credentials used to call the backend', intent: 'credentials', hint: 'IAM role ARN (human OK)' },
  { resource: 'integration', path: '/passthroughBehavior', field: ['passthroughBehavior'], ops: ['replace'], value: PASSTHROUGH.join(' | '), choices: PASSTHROUGH,
    check: v.oneOf(PASSTHROUGH), absentMeaning: 'WHEN_NO_MATCH (default)', risk: 'review', reason: 'changes which request bodies reach the backend unmapped', label: 'Unmapped request bodies', intent: 'passthroughBehavior', hint: 'Bodies without a template: pass, pass if none exist, refuse' },
  { resource: 'integration', path: '/contentHandling', field: ['contentHandling'], ops: ['replace'], value: CONTENT_HANDLING.join(' | '), choices: CONTENT_HANDLING,
    check: v.oneOf(CONTENT_HANDLING), risk: 'review', reason: 'changes how request bodies are encoded for the backend', label: 'content handling', intent: 'contentHandling', hint: 'Body encoding',
    absentMeaning: 'passed through unchanged (default)' },
  { resource: 'integration', path: '/cacheNamespace', field: ['cacheNamespace'], ops: ['replace'],
    value: 'string (default: the resource id)', check: v.nonEmpty('cacheNamespace', 128), absentMeaning: 'the resource id (default)', risk: 'safe', reason: 'only groups cache entries', label: 'Cache namespace', intent: 'cacheNamespace', hint: 'Cache key group' },
  { resource: 'integration', path: '/cacheKeyParameters/{name}', field: ['cacheKeyParameters'], keyed: { kind: 'set', check: v.cacheKey }, ops: ['add', 'remove'],
    value: 'none (the key is a declared method.request.* parameter)', check: v.anyText, valueOptional: true, absentMeaning: 'none', risk: 'safe', reason: 'only changes what the cache is keyed on',
    label: 'Cache key parameter', intent: 'cacheKeyParameters', hint: 'method.request.* names (declared if missing)' },
  { resource: 'integration', path: '/requestParameters/{name}', field: ['requestParameters'], keyed: { kind: 'map', check: v.integrationRequestKey }, ops: ['add', 'remove', 'replace'],
    value: "source: method.request.{path|querystring|header}.{name} (declared on the method), stageVariables.*, context.*, or 'literal'",
    check: v.requestSource, risk: 'review', reason: 'changes which parameters are sent to the backend', label: 'Request parameter', absentMeaning: 'not mapped', intent: 'requestParameters', hint: 'integration.request.* -> source; null removes; sources declared if missing',
    riskByEntry: (key, value) => (v.SENSITIVE_REQUEST_HEADER.test(key) && v.isFixedSource(value) ? { risk: 'confirm', reason: SENSITIVE_HEADER_REASON } : undefined) },
  { resource: 'integration', path: '/requestTemplates/{name}', field: ['requestTemplates'], keyed: { kind: 'map', check: v.contentTypeKey }, ops: ['add', 'remove', 'replace'],
    value: 'VTL mapping template (empty: pass the body through); the key is a content type',
    check: v.template, valueOptional: true, risk: 'safe', reason: 'only reshapes the request body for one content type', label: 'Request mapping template for', absentMeaning: 'none', intent: 'requestTemplates', hint: 'content type -> VTL (null removes)' },
  { resource: 'integration', path: '/connectionType', field: ['connectionType'], ops: ['replace'], types: HTTP_TYPES, choices: CONNECTION_TYPES,
    value: 'INTERNET | VPC_LINK (VPC_LINK needs connectionId)', check: v.oneOf(CONNECTION_TYPES),
    does: { '*': 'Change the network path (VPC link) of' }, risk: 'confirm', reason: 'changes the network path to the backend (public internet or a private VPC link)', label: 'Network path', absentMeaning: 'INTERNET (default)' },
  { resource: 'integration', path: '/connectionId', field: ['connectionId'], ops: ['replace'], types: HTTP_TYPES,
    value: 'VPC link id or ${stageVariables.name}', check: v.connectionId, absentMeaning: 'none', does: { '*': 'Change the network path (VPC link) of' }, risk: 'confirm', reason: 'routes traffic through a different VPC link', label: 'VPC link' },
  { resource: 'integration', path: '/tlsConfig/insecureSkipVerification', field: ['tlsConfig', 'insecureSkipVerification'], ops: ['replace'], types: HTTP_TYPES,
    value: '"true" | "false"', check: v.booleanText, decode: bool, absent: 'false', absentMeaning: 'verified (default)', meaning: (x) => (x === true || x === 'true' ? 'NOT verified (insecureSkipVerification: true)' : 'verified'),
    does: { true: 'Turn off TLS certificate verification for', false: 'Turn on TLS certificate verification for' },
    risk: 'safe', riskByValue: { true: 'confirm' }, label: 'TLS certificate verification', intent: 'tlsInsecureSkipVerification', hint: 'true: skip TLS checks (human OK)',
    reason: "true stops API Gateway from verifying the backend's TLS certificate: anyone in the path could read or alter traffic (man-in-the-middle)" },
  { resource: 'integration', path: '/responseTransferMode', field: ['responseTransferMode'], ops: ['replace'], choices: TRANSFER_MODES,
    value: 'BUFFERED | STREAM (STREAM: HTTP_PROXY or AWS_PROXY only)', check: v.transferMode, risk: 'review', reason: 'changes how responses are delivered to callers',
    label: 'Response delivery', intent: 'responseTransferMode', hint: 'STREAM: proxy types only', absentMeaning: 'BUFFERED (default)' },
  { resource: 'integration', path: '/integrationTarget', field: ['integrationTarget'], ops: ['replace'], types: HTTP_TYPES,
    value: 'ALB/NLB ARN (VPC link v2)', check: v.loadBalancerArn, absentMeaning: 'none', does: { '*': 'Send to a different load balancer:' }, risk: 'confirm', reason: 'sends traffic to a different load balancer', label: 'Load balancer' },

  // --- UpdateIntegrationResponse ---
  { resource: 'integrationResponse', path: '/selectionPattern', field: ['selectionPattern'], ops: ['replace'],
    value: 'regex matched against the backend status code (HTTP/AWS) or Lambda error message; "" = default',
    check: v.anyText, risk: 'review', reason: 'changes which backend responses this mapping handles', label: 'Selection pattern', intent: 'selectionPattern', hint: 'Regex on backend status ("": default)',
    absentMeaning: 'none: the default response' },
  { resource: 'integrationResponse', path: '/contentHandling', field: ['contentHandling'], ops: ['replace'], value: CONTENT_HANDLING.join(' | '), choices: CONTENT_HANDLING,
    check: v.oneOf(CONTENT_HANDLING), risk: 'review', reason: 'changes how response bodies are encoded', label: 'content handling', intent: 'contentHandling', hint: 'Body encoding',
    absentMeaning: 'passed through unchanged (default)' },
  { resource: 'integrationResponse', path: '/responseParameters/{name}', field: ['responseParameters'], keyed: { kind: 'map', check: v.methodResponseHeaderKey }, ops: ['add', 'remove', 'replace'],
    value: "integration.response.header.{name}, integration.response.body[.path], stageVariables.*, context.*, or 'literal'; the key method.response.header.{name} is declared on the method response if missing",
    check: v.responseSource, risk: 'review', reason: 'changes the headers callers receive', label: 'Response header mapping', absentMeaning: 'not mapped', intent: 'responseParameters', hint: 'method.response.header.* -> source (null removes; declared if missing)' },
  { resource: 'integrationResponse', path: '/responseTemplates/{name}', field: ['responseTemplates'], keyed: { kind: 'map', check: v.contentTypeKey }, ops: ['add', 'remove', 'replace'],
    value: 'VTL mapping template; the key is a content type', check: v.template, valueOptional: true, risk: 'safe', reason: 'only reshapes the response body for one content type',
    label: 'Response mapping template for', absentMeaning: 'none', intent: 'responseTemplates', hint: 'content type -> VTL (null removes)' },
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
  // The emulator has no authorizers: CUSTOM and COGNITO_USER_POOLS cannot get a valid one (AWS's recorded text).
  {
    resource: 'method',
    check: (d) =>
      (d.authorizationType === 'CUSTOM' || d.authorizationType === 'COGNITO_USER_POOLS') && !d.authorizerId
        ? 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.'
        : undefined,
  },
];

/** The level of one op, and why: the row's, or the one its key and value call for. */
export function riskOf(rule: PatchRule, op: Pick<PatchOperation, 'op' | 'value'>, key?: string): { risk: RiskLevel; reason: string } {
  const entry = op.op !== 'remove' && key !== undefined ? rule.riskByEntry?.(key, op.value) : undefined;
  if (entry) return entry;
  return { risk: (op.op !== 'remove' && op.value !== undefined && rule.riskByValue?.[op.value]) || rule.risk, reason: rule.reason };
}

export function maxRisk(levels: Iterable<RiskLevel>): RiskLevel {
  let max: RiskLevel = 'safe';
  for (const l of levels) if (RISK_ORDER.indexOf(l) > RISK_ORDER.indexOf(max)) max = l;
  return max;
}

export function rulesFor(resource: Resource): PatchRule[] {
  return RULES.filter((r) => r.resource === resource);
}

/** The row a tool field sets, by resource and field name. */
export function ruleForIntent(resource: Resource, intent: string): PatchRule {
  const rule = RULES.find((r) => r.resource === resource && r.intent === intent);
  if (!rule) throw new Error(`no rules row for ${resource} field ${intent}`);
  return rule;
}
