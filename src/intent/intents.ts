// Typed intents -> patch operations. Each intent field maps to one row of the rules table; given the current
// document the ops are minimal: add for a new key, replace for a changed one, remove for null, and nothing for a
// value that is already so. Without the current document (the local check before any AWS call) every field
// yields the op it would need at most, so bad values are caught before any call.
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { parsePointer, toPointer } from '../patch/pointer.js';
import type { PatchOperation } from '../patch/rules.js';
import { HTTP_VERBS, type Doc } from '../patch/values.js';
import { matchRule, type FieldName } from '../patch/validate.js';

const ContentHandling = z.enum(['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT']);
const MapEdit = (what: string) => z.record(z.string(), z.string().nullable()).describe(`${what}; null removes`);

export const IntegrationIntentSchema = z.object({
  timeoutInMillis: z.number().int().optional().describe('ms, 50..29000'),
  uri: z.string().optional().describe('Backend URL or ARN'),
  integrationHttpMethod: z.enum(HTTP_VERBS).optional().describe('Backend verb'),
  credentials: z.string().optional().describe('IAM role ARN'),
  passthroughBehavior: z.enum(['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER']).optional(),
  contentHandling: ContentHandling.optional(),
  cacheNamespace: z.string().optional().describe('Cache key group'),
  cacheKeyParameters: z
    .object({ add: z.array(z.string()).optional().describe('To add'), remove: z.array(z.string()).optional().describe('To remove') })
    .optional()
    .describe('method.request.* names'),
  requestParameters: MapEdit('integration.request.* -> source').optional(),
  requestTemplates: MapEdit('content type -> VTL').optional(),
  connection: z
    .object({ type: z.enum(['INTERNET', 'VPC_LINK']), id: z.string().optional().describe('VPC link id') })
    .optional()
    .describe('INTERNET or VPC_LINK'),
  tlsInsecureSkipVerification: z.boolean().optional().describe('true skips TLS checks (risky)'),
  responseTransferMode: z.enum(['BUFFERED', 'STREAM']).optional(),
});
export type IntegrationIntent = z.infer<typeof IntegrationIntentSchema>;

export const IntegrationResponseIntentSchema = z.object({
  selectionPattern: z.string().optional().describe('Regex on backend status'),
  contentHandling: ContentHandling.optional(),
  responseTemplates: MapEdit('content type -> VTL').optional(),
  responseParameters: MapEdit('method.response.header.* -> source').optional(),
});
export type IntegrationResponseIntent = z.infer<typeof IntegrationResponseIntentSchema>;

/** Reads the value a path holds in a document, through the rule's field. */
function currentAt(doc: Doc, path: string): unknown {
  const match = matchRule('integration', path) ?? matchRule('integrationResponse', path);
  return match?.rule.field.reduce<any>((node, name) => node?.[name], doc);
}

/** One scalar: replace, unless the document already holds this value. */
function scalar(path: string, value: string | number | boolean | undefined, current: Doc | undefined): PatchOperation[] {
  if (value === undefined) return [];
  const rule = matchRule('integration', path)?.rule;
  // A field that does not apply to this integration type is always sent on to validation, which refuses it.
  const types = rule?.types as readonly string[] | undefined;
  if (current?.type && types && !types.includes(current.type)) return [{ op: 'replace', path, value: String(value) }];
  // An absent field may mean a value already (the rule says which).
  const now = current && (currentAt(current, path) ?? rule?.absent);
  return now !== undefined && String(now) === String(value) ? [] : [{ op: 'replace', path, value: String(value) }];
}

/** A map edit: add a new key, replace a changed one, remove on null (only if present, once the state is known). */
function mapEdit(field: string, edits: Record<string, string | null> | undefined, current: Doc | undefined): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const now: Doc | undefined = current ? (current[field] ?? {}) : undefined;
  for (const [key, value] of Object.entries(edits ?? {})) {
    const path = toPointer(field, key);
    const has = now ? Object.prototype.hasOwnProperty.call(now, key) : undefined;
    if (value === null) {
      if (has !== false) ops.push({ op: 'remove', path });
    } else if (!has) ops.push({ op: 'add', path, value });
    // AWS returns an empty template as null: asking for "" again changes nothing.
    else if ((now![key] ?? '') !== value) ops.push({ op: 'replace', path, value });
  }
  return ops;
}

function setEdit(field: string, edit: { add?: string[]; remove?: string[] } | undefined, current: Doc | undefined): PatchOperation[] {
  const now: string[] | undefined = current ? (current[field] ?? []) : undefined;
  return [
    ...(edit?.add ?? []).filter((k) => !now?.includes(k)).map((k): PatchOperation => ({ op: 'add', path: toPointer(field, k) })),
    ...(edit?.remove ?? []).filter((k) => !now || now.includes(k)).map((k): PatchOperation => ({ op: 'remove', path: toPointer(field, k) })),
  ];
}

/**
 * The fields of an intent, in the order their ops are sent, each with the patch path (or map/list field) it sets.
 * The same rows name a field back in error messages, in the agent's terms rather than patchOperations[i].
 */
interface IntentField<I> {
  kind: 'scalar' | 'map' | 'set';
  /** The tool's field name. */
  name: string;
  /** A scalar's patch path, or the document field of a map or list. */
  at: string;
  get: (intent: I) => any;
}

const INTEGRATION_FIELDS: readonly IntentField<IntegrationIntent>[] = [
  // Transfer mode first: a STREAM integration allows a longer timeout in the same call.
  { kind: 'scalar', name: 'responseTransferMode', at: '/responseTransferMode', get: (i) => i.responseTransferMode },
  { kind: 'scalar', name: 'timeoutInMillis', at: '/timeoutInMillis', get: (i) => i.timeoutInMillis },
  { kind: 'scalar', name: 'uri', at: '/uri', get: (i) => i.uri },
  { kind: 'scalar', name: 'integrationHttpMethod', at: '/httpMethod', get: (i) => i.integrationHttpMethod },
  { kind: 'scalar', name: 'credentials', at: '/credentials', get: (i) => i.credentials },
  { kind: 'scalar', name: 'passthroughBehavior', at: '/passthroughBehavior', get: (i) => i.passthroughBehavior },
  { kind: 'scalar', name: 'contentHandling', at: '/contentHandling', get: (i) => i.contentHandling },
  { kind: 'scalar', name: 'cacheNamespace', at: '/cacheNamespace', get: (i) => i.cacheNamespace },
  { kind: 'set', name: 'cacheKeyParameters', at: 'cacheKeyParameters', get: (i) => i.cacheKeyParameters },
  { kind: 'map', name: 'requestParameters', at: 'requestParameters', get: (i) => i.requestParameters },
  { kind: 'map', name: 'requestTemplates', at: 'requestTemplates', get: (i) => i.requestTemplates },
  { kind: 'scalar', name: 'connection.type', at: '/connectionType', get: (i) => i.connection?.type },
  { kind: 'scalar', name: 'connection.id', at: '/connectionId', get: (i) => i.connection?.id },
  { kind: 'scalar', name: 'tlsInsecureSkipVerification', at: '/tlsConfig/insecureSkipVerification', get: (i) => i.tlsInsecureSkipVerification },
];

const INTEGRATION_RESPONSE_FIELDS: readonly IntentField<IntegrationResponseIntent>[] = [
  { kind: 'scalar', name: 'selectionPattern', at: '/selectionPattern', get: (i) => i.selectionPattern },
  { kind: 'scalar', name: 'contentHandling', at: '/contentHandling', get: (i) => i.contentHandling },
  { kind: 'map', name: 'responseTemplates', at: 'responseTemplates', get: (i) => i.responseTemplates },
  { kind: 'map', name: 'responseParameters', at: 'responseParameters', get: (i) => i.responseParameters },
];

const EDITS = { scalar, map: mapEdit, set: setEdit } as const;

function opsOf<I>(fields: readonly IntentField<I>[], intent: I, current: Doc | undefined): PatchOperation[] {
  return fields.flatMap((f) => EDITS[f.kind](f.at, f.get(intent), current));
}

/** Names the intent field behind an op, with the value as the agent gave it. */
function namerOf<I>(fields: readonly IntentField<I>[], intent: I): (op: PatchOperation) => FieldName | undefined {
  return (op) => {
    const [head, key] = parsePointer(op.path) ?? [];
    const f = fields.find((x) => (x.kind === 'scalar' ? x.at === op.path : x.at === head && key !== undefined));
    if (!f) return undefined;
    if (f.kind === 'scalar') return { name: f.name, container: f.name, value: f.get(intent) };
    if (f.kind === 'set') return { name: `${f.name}.${op.op}`, container: `${f.name}.${op.op}`, value: key };
    return { name: `${f.name}[${JSON.stringify(key)}]`, container: f.name, value: f.get(intent)?.[key!] };
  };
}

export function integrationOps(intent: IntegrationIntent, current?: Doc): PatchOperation[] {
  const c = intent.connection;
  if (c?.type === 'VPC_LINK' && !c.id) throw new ToolError('connection VPC_LINK needs its id: connection: { type: "VPC_LINK", id: "<vpc link id>" }.');
  if (c?.type === 'INTERNET' && c.id) throw new ToolError('connection INTERNET takes no id; give { type: "INTERNET" }.');
  return opsOf(INTEGRATION_FIELDS, intent, current);
}

export const integrationFieldNames = (intent: IntegrationIntent) => namerOf(INTEGRATION_FIELDS, intent);

export function integrationResponseOps(intent: IntegrationResponseIntent, current?: Doc): PatchOperation[] {
  return opsOf(INTEGRATION_RESPONSE_FIELDS, intent, current);
}

export const integrationResponseFieldNames = (intent: IntegrationResponseIntent) => namerOf(INTEGRATION_RESPONSE_FIELDS, intent);
