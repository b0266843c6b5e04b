// Value shapes that the rules table refers to. Each check returns a Problem (what is wrong, what is
// valid, and the text AWS answers with where it is known) or undefined when the value is fine.

export type Doc = Record<string, any>;

export interface Problem {
  /** For the agent: what was wrong and what is valid. */
  message: string;
  /** The text API Gateway answers with, where known (apigw-spec.md); the emulator sends it. */
  aws?: string;
  /** AWS answers 404 NotFound instead of 400 BadRequest (e.g. removing a key that is not there). */
  notFound?: boolean;
  /**
   * The same problem for a tool that names the field itself (set_timeout's timeoutInMillis): what the value
   * must be, without a subject; `got` (default true) adds the value as the tool took it, `hint` follows it.
   */
  phrase?: Phrase;
}

export interface Phrase {
  text: string;
  got?: boolean;
  hint?: string;
}

/** What a check may look at besides the value: the configured limits and, once read, the current state. */
export interface RuleEnv {
  /** Highest timeout allowed for BUFFERED integrations (29000 unless the account has a raised quota). */
  maxTimeoutMs: number;
  /** The integration (after the ops before this one), when known. */
  integration?: Doc;
  /** The Method, when known: its `requestParameters` declare which method.request.* sources exist. */
  method?: Doc;
  /** The MethodResponse for an integration response's status code, when known. */
  methodResponse?: Doc;
}

export type Check = (value: string, env: RuleEnv) => Problem | undefined;

export const INTEGRATION_TYPES = ['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY', 'MOCK'] as const;
export const HTTP_VERBS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'] as const;
export const STREAM_MAX_TIMEOUT_MS = 900_000;
export const MIN_TIMEOUT_MS = 50;
/** Mapping-template size limit of API Gateway's quotas page. */
export const MAX_TEMPLATE_BYTES = 300 * 1024;

/** A value as shown in messages: strings quoted (and cut), numbers and booleans as they are. */
export const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 80 ? v.slice(0, 80) + '…' : v) : String(v));

/**
 * A value problem worded for a patch op (`subject` names the field: "timeoutInMillis must be ...; got "10"") and,
 * in `phrase`, for a tool field that carries the value in its own type.
 */
export function need(subject: string | undefined, text: string, v: string, extra: { hint?: string; aws?: string } = {}): Problem {
  return {
    message: `${subject ? `${subject} ` : ''}${text}; got ${show(v)}${extra.hint ? ` (${extra.hint})` : ''}`,
    phrase: { text, ...(extra.hint ? { hint: extra.hint } : {}) },
    ...(extra.aws ? { aws: extra.aws } : {}),
  };
}

/**
 * A control character (U+0000-U+001F, U+007F-U+009F) in a value that is one line by nature (a uri, an ARN, a name,
 * a key), named by its position; AWS refuses them (with `aws`, its text for that field). Templates may hold newlines.
 */
export function controlCharacter(what: string, v: string, aws?: string): Problem | undefined {
  const at = v.search(/[\u0000-\u001f\u007f-\u009f]/);
  if (at < 0) return undefined;
  const text = `must not contain control characters; U+${v.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')} at position ${at}`;
  return { message: `${what} ${text}; got ${show(v)}`, phrase: { text, got: false }, ...(aws ? { aws } : {}) };
}

/** The same Check, refusing control characters first (named by position). */
const oneLine =
  (what: string, check: Check, aws?: string): Check =>
  (v, env) =>
    controlCharacter(what, v, aws) ?? check(v, env);

export const oneOf =
  (choices: readonly string[]): Check =>
  (v) =>
    choices.includes(v) ? undefined : need(undefined, `must be one of ${choices.join(', ')}`, v);

export const booleanText: Check = (v) => (v === 'true' || v === 'false' ? undefined : need(undefined, 'must be "true" or "false"', v));

/** The timeout ceiling in force: STREAM allows 15 minutes, BUFFERED the configured maximum. */
export function timeoutCeiling(env: RuleEnv, integration = env.integration): number {
  return integration?.responseTransferMode === 'STREAM' ? STREAM_MAX_TIMEOUT_MS : env.maxTimeoutMs;
}

export const timeoutMs: Check = (v, env) => {
  const max = timeoutCeiling(env);
  const whole = /^\d+$/.test(v);
  const n = whole ? Number(v) : NaN;
  if (n >= MIN_TIMEOUT_MS && n <= max) return undefined;
  // The quota hint helps only a value that is too long, and only while STREAM's ceiling is still above.
  const hint = n > max && max < STREAM_MAX_TIMEOUT_MS ? `longer needs a raised quota, see --max-timeout-ms, or responseTransferMode STREAM, up to ${STREAM_MAX_TIMEOUT_MS}` : undefined;
  const text = whole ? `must be from ${MIN_TIMEOUT_MS} to ${max} ms` : `must be a whole number of ms from ${MIN_TIMEOUT_MS} to ${max}`;
  return need('timeoutInMillis', text, v, { hint, aws: `Timeout should be between ${MIN_TIMEOUT_MS} ms and ${max} ms` });
};

export const nonEmpty = (what: string, maxLength = 1024): Check =>
  oneLine(what, (v) => (v.length > 0 && v.length <= maxLength ? undefined : need(what, `must be 1 to ${maxLength} characters`, v)));

const HTTP_URL = /^https?:\/\/[^\s/?#]+([/?#]\S*)?$/;
const APIGW_ARN = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:[a-z0-9.-]+:(path|action)\/\S+$/;
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/\S+\/invocations$/;
const FIREHOSE_ACTION = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:firehose:action\/\S+$/;

/** Integration URI by integration type (apigw-spec.md §3.2); without a known type, any of the shapes. */
export const integrationUri: Check = (v, env) => controlCharacter('uri', v, v.startsWith('arn:') ? 'Invalid ARN specified in the request' : 'Invalid HTTP endpoint specified for URI') ?? uriShape(v, env);

const uriShape: Check = (v, env) => {
  const type = env.integration?.type as string | undefined;
  const httpLike = type === 'HTTP' || type === 'HTTP_PROXY';
  if (type === 'MOCK') return { message: 'a MOCK integration takes no uri; change the integration type with PutIntegration instead' };
  if (httpLike || (!type && !v.startsWith('arn:')))
    return HTTP_URL.test(v)
      ? undefined
      : need('uri', `of an ${type ?? 'HTTP'} integration must be an absolute http(s) URL such as https://api.example.com/orders/{id}`, v, { aws: 'Invalid HTTP endpoint specified for URI' });
  if (!v.startsWith('arn:aws')) return need('uri', `of an ${type} integration must be an API Gateway service ARN (arn:aws:apigateway:{region}:{service}:path|action/...)`, v, { aws: 'Invalid ARN specified in the request' });
  // An ARN of another service (e.g. an IAM role) is an ARN without API Gateway's path/action part to AWS (recorded).
  if (!/^arn:aws[a-z-]*:apigateway:/.test(v))
    return need('uri', 'must be an arn:aws:apigateway:{region}:{service}:path|action/... ARN', v, { aws: 'AWS ARN for integration must contain path or action' });
  if (!APIGW_ARN.test(v)) return need('uri', 'ARN must contain path/ or action/ after the service', v, { aws: 'AWS ARN for integration must contain path or action' });
  if (type === 'AWS_PROXY' && !LAMBDA_INVOKE.test(v) && !FIREHOSE_ACTION.test(v))
    return need('uri', 'of an AWS_PROXY integration must be a Lambda invoke ARN: arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations', v, {
      aws: "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    });
  return undefined;
};

export const integrationVerb: Check = (v, env) => {
  const bad = oneOf(HTTP_VERBS)(v, env);
  if (bad) return { ...bad, aws: 'Enumeration value for HttpMethod must be non-empty' };
  if (env.integration?.type === 'AWS_PROXY' && v !== 'POST') return need('httpMethod', 'must be POST: a Lambda (AWS_PROXY) integration is always called with POST', v);
  return undefined;
};

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
export const credentials: Check = oneLine('credentials', (v) =>
  ROLE_ARN.test(v) || v === 'arn:aws:iam::*:user/*'
    ? undefined
    : need('credentials', "must be an IAM role ARN (arn:aws:iam::123456789012:role/name) or arn:aws:iam::*:user/* (the caller's identity)", v));

export const connectionId: Check = oneLine('connectionId', (v) =>
  /^[a-z0-9]{1,32}$/.test(v) || /^\$\{stageVariables\.[A-Za-z0-9_]+\}$/.test(v)
    ? undefined
    : need('connectionId', 'must be a VPC link id (e.g. abc123) or ${stageVariables.name}', v));

export const loadBalancerArn: Check = oneLine('integrationTarget', (v) =>
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/\S+$/.test(v)
    ? undefined
    : need('integrationTarget', 'must be an ALB/NLB ARN (arn:aws:elasticloadbalancing:...:loadbalancer/...)', v));

export const transferMode: Check = (v, env) => {
  const bad = oneOf(['BUFFERED', 'STREAM'])(v, env);
  if (bad) return bad;
  const type = env.integration?.type;
  if (v === 'STREAM' && type && type !== 'HTTP_PROXY' && type !== 'AWS_PROXY')
    return {
      message: `responseTransferMode STREAM needs an HTTP_PROXY or AWS_PROXY integration; this one is ${type}`,
      phrase: { text: `STREAM needs an HTTP_PROXY or AWS_PROXY integration; this one is ${type}`, got: false },
    };
  return undefined;
};

export const template: Check = (v) => {
  const bytes = Buffer.byteLength(v);
  if (bytes <= MAX_TEMPLATE_BYTES) return undefined;
  const text = `may be at most ${MAX_TEMPLATE_BYTES} bytes (API Gateway's quota); this one has ${bytes}`;
  return { message: `a mapping template ${text}`, phrase: { text, got: false } };
};

export const anyText: Check = () => undefined;

/** The emulator has no request validators, so no id names one (AWS's recorded text for an unknown id). */
export const requestValidator: Check = (v) => ({ message: `request validator ${show(v)} does not exist`, aws: 'Invalid Request Validator identifier specified' });

// --- map keys and mapping expressions (apigw-spec.md §3.5, §3.8) ---

const NAME = '[A-Za-z0-9._$-]+';
/** A method request parameter name, as declared on a Method and used as a mapping source or cache key. */
export const METHOD_REQUEST = new RegExp(`^method\\.request\\.(path|querystring|multivaluequerystring|header|multivalueheader)\\.${NAME}$`);
const INTEGRATION_REQUEST = new RegExp(`^integration\\.request\\.(path|querystring|multivaluequerystring|header|multivalueheader)\\.${NAME}$`);
const METHOD_RESPONSE_HEADER = new RegExp(`^method\\.response\\.header\\.${NAME}$`);
const STATIC = /^'[^']*'$/;
const COMMON_SOURCE = new RegExp(`^(stageVariables\\.${NAME}|context\\.${NAME})$`);
const mappingError = (detail: string) => `Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`;

const declared = (params: Doc | undefined, name: string) => params != null && Object.prototype.hasOwnProperty.call(params, name);

export const contentTypeKey: Check = oneLine('the key', (k) =>
  /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+*-]+$/.test(k)
    ? undefined
    : { message: `the key must be a content type such as application/json (written application~1json in a path); got ${show(k)}`, aws: `Validation Result: warnings : [], errors : [Invalid content type specified: ${k}]` });

export const integrationRequestKey: Check = oneLine('the key', (k) =>
  INTEGRATION_REQUEST.test(k)
    ? undefined
    : { message: `the key must be integration.request.{path|querystring|header}.{name} (e.g. integration.request.header.X-Trace); got ${show(k)}`, aws: mappingError('Invalid mapping identifier specified') });

/** A method.request.* source must be declared on the Method (checked once the Method is known). */
function declaredOnMethod(source: string, env: RuleEnv): Problem | undefined {
  // A method declares querystring and header parameters once; the multivalue sources read the same declared name.
  const single = source.replace(/^method\.request\.multivalue(querystring|header)\./, 'method.request.$1.');
  if (!env.method || declared(env.method.requestParameters, source) || declared(env.method.requestParameters, single)) return undefined;
  const known = Object.keys(env.method.requestParameters ?? {});
  return {
    message: `${source} is not declared on the method; declared: ${known.length ? known.join(', ') : 'none'} (declare it on the method first with UpdateMethod)`,
    aws: mappingError(`Invalid mapping expression parameter specified: ${source}`),
  };
}

export const requestSource: Check = (v, env) => {
  const control = controlCharacter('the value', v, mappingError(`Invalid mapping expression specified: ${v}`));
  if (control) return control;
  if (METHOD_REQUEST.test(v)) return declaredOnMethod(v, env);
  if (v === 'method.request.body' || /^method\.request\.body\.\S+$/.test(v) || COMMON_SOURCE.test(v) || STATIC.test(v)) return undefined;
  return need(
    'the value',
    "must be a source: method.request.{path|querystring|header|multivaluequerystring|multivalueheader}.{name}, method.request.body[.JSONPath], stageVariables.{name}, context.{name}, or a 'quoted literal'",
    v,
    { aws: mappingError(`Invalid mapping expression specified: ${v}`) },
  );
};

export const cacheKey: Check = (k, env) => {
  const control = controlCharacter('a cache key', k, 'Invalid cache key parameter specified');
  if (control) return control;
  if (!METHOD_REQUEST.test(k)) return { message: `a cache key must be a method request parameter such as method.request.path.id; got ${show(k)}`, aws: 'Invalid cache key parameter specified' };
  const p = declaredOnMethod(k, env);
  return p && { ...p, aws: 'Invalid cache key parameter specified' };
};

/** AWS's answer to a header mapping for a status code the method has no method response for (recorded). */
export const NO_METHOD_RESPONSE = mappingError('No method response exists for method.');

/** A method request parameter as declared on a Method (UpdateMethod /requestParameters/{name}). */
export const methodRequestName: Check = (k) =>
  METHOD_REQUEST.test(k)
    ? undefined
    : {
        message: `the key must be method.request.{path|querystring|header|multivaluequerystring|multivalueheader}.{name} (e.g. method.request.querystring.page); got ${show(k)}`,
        aws: mappingError(`Invalid mapping expression specified: ${k}`),
      };

/** A header declared on a method response (UpdateMethodResponse /responseParameters/{name}). */
export const methodResponseHeaderName: Check = (k) =>
  METHOD_RESPONSE_HEADER.test(k) ? undefined : { message: `the key must be method.response.header.{name} (e.g. method.response.header.Access-Control-Allow-Origin); got ${show(k)}`, aws: mappingError('Invalid mapping identifier specified') };

/** A model name (API Gateway creates Empty and Error in every API). */
export const modelName: Check = (v) => (/^[A-Za-z0-9]{1,128}$/.test(v) ? undefined : need('the model', 'must be a model name of letters and digits such as Empty', v));

/** Header mappings that re-route or re-authenticate every backend call when set to a fixed value. */
export const SENSITIVE_REQUEST_HEADER = /^integration\.request\.header\.(host|authorization|x-api-key|cookie|x-forwarded-[a-z0-9-]+)$/i;
/** A literal or a stage variable: a value the caller does not send, so it applies to every call. */
export const isFixedSource = (v: string | undefined) => v !== undefined && (STATIC.test(v) || /^stageVariables\./.test(v));

export const methodResponseHeaderKey: Check = (k, env) => {
  const control = controlCharacter('the key', k, mappingError('Invalid mapping identifier specified'));
  if (control) return control;
  if (!METHOD_RESPONSE_HEADER.test(k)) return { message: `the key must be method.response.header.{name}; got ${show(k)}`, aws: mappingError('Invalid mapping identifier specified') };
  // With the Method known, no method response means there is none for this status code: nothing to map onto.
  if (!env.methodResponse)
    return env.method ? { message: `${k} maps onto a method response, and the method has none with this status code (declare the method response first)`, aws: NO_METHOD_RESPONSE } : undefined;
  if (declared(env.methodResponse.responseParameters, k)) return undefined;
  const known = Object.keys(env.methodResponse.responseParameters ?? {});
  return {
    message: `${k} is not declared on method response ${env.methodResponse.statusCode}; declared: ${known.length ? known.join(', ') : 'none'} (declare it on the method response first)`,
    aws: mappingError(`Invalid mapping expression parameter specified: ${k}`),
  };
};

export const responseSource: Check = (v, env) => controlCharacter('the value', v, mappingError(`Invalid mapping expression specified: ${v}`)) ?? responseShape(v, env);

const responseShape: Check = (v) =>
  new RegExp(`^integration\\.response\\.(header|multivalueheader)\\.${NAME}$`).test(v) ||
  v === 'integration.response.body' ||
  /^integration\.response\.body\.\S+$/.test(v) ||
  COMMON_SOURCE.test(v) ||
  STATIC.test(v)
    ? undefined
    : need(
        'the value',
        "must be integration.response.header.{name}, integration.response.multivalueheader.{name}, integration.response.body[.JSONPath], stageVariables.{name}, context.{name}, or a 'quoted literal'",
        v,
        { aws: mappingError(`Invalid mapping expression specified: ${v}`) },
      );

/** An empty template (pass the body through) as AWS stores and returns it: null (apigw-spec.md §1.4). */
export const storedTemplate = (value: string | null | undefined): string | null => (value === undefined || value === '' ? null : value);

/** A response's selection pattern; none (or "") is the method's default response. */
export const selectionPatternOf = (response: Doc | undefined): string => (response?.selectionPattern as string | undefined) || '';

