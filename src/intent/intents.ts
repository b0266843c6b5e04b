// Typed intents -> patch operations. Each intent field is a row of the rules table (its `intent` name): the field's
// type, enum and description come from the row, so no path or enum is listed twice. Given the current document the
// ops are minimal: add for a new key, replace for a changed one, remove for null, and nothing for a value that is
// already so. Without the current document (the local check before any AWS call) every field yields the op it
// would need at most, so bad values are caught before any call.
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { parsePointer, toPointer } from '../patch/pointer.js';
import { CONNECTION_TYPES, RULES, type PatchOperation, type PatchRule, type Resource } from '../patch/rules.js';
import { INTEGRATION_TYPES, type Doc } from '../patch/values.js';
import { matchRule, type FieldName } from '../patch/validate.js';

const MapEdit = (describe: string) => z.record(z.string(), z.string().nullable()).describe(describe);
const BoolMapEdit = (describe: string) => z.record(z.string(), z.boolean().nullable()).describe(describe);
const SetEdit = (describe: string) =>
  z.object({ add: z.array(z.string()).optional().describe('To add'), remove: z.array(z.string()).optional().describe('To remove') }).describe(describe);

/** The zod type of a row's intent field: its enum, number, boolean or string; a map or set edit for keyed rows. */
function schemaOf(rule: PatchRule): z.ZodType {
  const describe = rule.hint ?? rule.value;
  if (rule.keyed?.kind === 'set') return SetEdit(describe);
  if (rule.keyed) return rule.decode ? BoolMapEdit(describe) : MapEdit(describe);
  if (rule.choices) return z.enum(rule.choices as [string, ...string[]]).describe(describe);
  if (rule.decode === Number) return z.number().int().describe(describe);
  if (rule.decode) return z.boolean().describe(describe);
  return z.string().describe(describe);
}

/** The intent fields of a resource kind, in table order, as an object shape of optional fields. */
function intentShape(resource: Resource): Record<string, z.ZodOptional<z.ZodType>> {
  return Object.fromEntries(RULES.filter((r) => r.resource === resource && r.intent).map((r) => [r.intent!, schemaOf(r).optional()]));
}

export const IntegrationTypeSchema = z.enum(INTEGRATION_TYPES).describe('Replaces/creates the whole integration (human OK); unset settings reset');

export const IntegrationIntentSchema = z.object({
  ...intentShape('integration'),
  connection: z
    .object({ type: z.enum(CONNECTION_TYPES).describe('Network path'), id: z.string().optional().describe('VPC link id') })
    .optional()
    .describe('VPC_LINK needs id (human OK)'),
});
export type IntegrationIntent = {
  timeoutInMillis?: number;
  uri?: string;
  integrationHttpMethod?: string;
  credentials?: string;
  passthroughBehavior?: string;
  contentHandling?: string;
  cacheNamespace?: string;
  cacheKeyParameters?: { add?: string[]; remove?: string[] };
  requestParameters?: Record<string, string | null>;
  requestTemplates?: Record<string, string | null>;
  connection?: { type: string; id?: string };
  tlsInsecureSkipVerification?: boolean;
  responseTransferMode?: string;
};

export const IntegrationResponseIntentSchema = z.object(intentShape('integrationResponse'));
export type IntegrationResponseIntent = {
  selectionPattern?: string;
  contentHandling?: string;
  responseTemplates?: Record<string, string | null>;
  responseParameters?: Record<string, string | null>;
};

export const MethodResponseIntentSchema = z.object(intentShape('methodResponse'));
export type MethodResponseIntent = { responseParameters?: Record<string, boolean | null>; responseModels?: Record<string, string | null> };
export const MethodIntentSchema = z.object(intentShape('method'));
export type MethodIntent = { requestParameters?: Record<string, boolean | null> };

/** Reads the value a path holds in a document, through the rule's field. */
function currentAt(resource: Resource, doc: Doc, path: string): unknown {
  return matchRule(resource, path)?.rule.field.reduce<any>((node, name) => node?.[name], doc);
}

const text = (v: unknown) => (typeof v === 'string' ? v : String(v));

/** One scalar: replace, unless the document already holds this value. */
function scalar(resource: Resource, path: string, value: unknown, current: Doc | undefined): PatchOperation[] {
  if (value === undefined) return [];
  const rule = matchRule(resource, path)?.rule;
  // A field that does not apply to this integration type is always sent on to validation, which refuses it.
  const types = rule?.types as readonly string[] | undefined;
  if (current?.type && types && !types.includes(current.type)) return [{ op: 'replace', path, value: text(value) }];
  // An absent field may mean a value already (the rule says which).
  const now = current && (currentAt(resource, current, path) ?? rule?.absent);
  return now !== undefined && String(now) === String(value) ? [] : [{ op: 'replace', path, value: text(value) }];
}

/** A map edit: add a new key, replace a changed one, remove on null (only if present, once the state is known). */
function mapEdit(field: string, edits: Record<string, unknown> | undefined, current: Doc | undefined): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const now: Doc | undefined = current ? (current[field] ?? {}) : undefined;
  for (const [key, value] of Object.entries(edits ?? {})) {
    const path = toPointer(field, key);
    const has = now ? Object.prototype.hasOwnProperty.call(now, key) : undefined;
    if (value === null) {
      if (has !== false) ops.push({ op: 'remove', path });
    } else if (!has) ops.push({ op: 'add', path, value: text(value) });
    // AWS returns an empty template as null: asking for "" again changes nothing.
    else if (String(now![key] ?? '') !== text(value)) ops.push({ op: 'replace', path, value: text(value) });
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

/** An intent field and where it writes: a row's field (by name), or one of the two parts of `connection`. */
interface IntentField {
  name: string;
  rule: PatchRule;
  get: (intent: Record<string, any>) => unknown;
}

function fieldsOf(resource: Resource): IntentField[] {
  const rows = RULES.filter((r) => r.resource === resource && r.intent);
  // Transfer mode first: a STREAM integration allows a longer timeout in the same call.
  rows.sort((a, b) => Number(b.intent === 'responseTransferMode') - Number(a.intent === 'responseTransferMode'));
  const fields: IntentField[] = rows.map((rule) => ({ name: rule.intent!, rule, get: (i) => i[rule.intent!] }));
  if (resource === 'integration') {
    const at = (path: string) => RULES.find((r) => r.resource === 'integration' && r.path === path)!;
    // Before TLS: VPC_LINK and its id travel together, as the invariant asks.
    const tls = fields.findIndex((f) => f.name === 'tlsInsecureSkipVerification');
    fields.splice(tls, 0, { name: 'connection.type', rule: at('/connectionType'), get: (i) => i.connection?.type }, { name: 'connection.id', rule: at('/connectionId'), get: (i) => i.connection?.id });
  }
  return fields;
}

const FIELDS: Partial<Record<Resource, IntentField[]>> = {
  method: fieldsOf('method'),
  methodResponse: fieldsOf('methodResponse'),
  integration: fieldsOf('integration'),
  integrationResponse: fieldsOf('integrationResponse'),
};

function opsOf(resource: Resource, intent: Record<string, any>, current: Doc | undefined): PatchOperation[] {
  return FIELDS[resource]!.flatMap((f) => {
    const value = f.get(intent);
    if (f.rule.keyed?.kind === 'set') return setEdit(f.rule.field[0], value as never, current);
    if (f.rule.keyed) return mapEdit(f.rule.field[0], value as never, current);
    return scalar(resource, f.rule.path, value, current);
  });
}

/** Names the intent field behind an op, with the value as the agent gave it. */
export function fieldNames(resource: Resource, intent: Record<string, any>): (op: PatchOperation) => FieldName | undefined {
  return (op) => {
    const [head, key] = parsePointer(op.path) ?? [];
    const f = FIELDS[resource]!.find((x) => (x.rule.keyed ? x.rule.field[0] === head && key !== undefined : x.rule.path === op.path));
    if (!f) return undefined;
    if (!f.rule.keyed) return { name: f.name, container: f.name, value: f.get(intent) };
    if (f.rule.keyed.kind === 'set') return { name: `${f.name}.${op.op}`, container: `${f.name}.${op.op}`, value: key };
    return { name: `${f.name}[${JSON.stringify(key)}]`, container: f.name, value: (f.get(intent) as Doc | undefined)?.[key!] };
  };
}

/** connection is one field for two: a VPC link needs its id, the internet takes none (ops and documents alike). */
function checkConnection(c: IntegrationIntent['connection']): void {
  if (c?.type === 'VPC_LINK' && !c.id) throw new ToolError('connection VPC_LINK needs its id: connection: { type: "VPC_LINK", id: "<vpc link id>" }.');
  if (c?.type === 'INTERNET' && c.id) throw new ToolError('connection INTERNET takes no id; give { type: "INTERNET" }.');
}

export function integrationOps(intent: IntegrationIntent, current?: Doc): PatchOperation[] {
  checkConnection(intent.connection);
  return opsOf('integration', intent, current);
}

export const integrationFieldNames = (intent: IntegrationIntent) => fieldNames('integration', intent);

export function integrationResponseOps(intent: IntegrationResponseIntent, current?: Doc): PatchOperation[] {
  return opsOf('integrationResponse', intent, current);
}

export const integrationResponseFieldNames = (intent: IntegrationResponseIntent) => fieldNames('integrationResponse', intent);

export const methodOps = (intent: MethodIntent, current?: Doc) => opsOf('method', intent, current);
export const methodResponseOps = (intent: MethodResponseIntent, current?: Doc) => opsOf('methodResponse', intent, current);

/**
 * The document of a new integration of `type` (PutIntegration) from the same intent fields: what the fields set,
 * applied to an empty integration, so each value is checked by its row.
 */
export function integrationDocument(type: string, intent: IntegrationIntent): Doc {
  checkConnection(intent.connection);
  const doc: Doc = { type };
  for (const f of FIELDS.integration!) {
    const value = f.get(intent);
    if (value === undefined || value === null) continue;
    const [head] = f.rule.field;
    if (f.rule.keyed?.kind === 'set') doc[head] = (value as { add?: string[] }).add ?? [];
    else if (f.rule.keyed) doc[head] = Object.fromEntries(Object.entries(value as Doc).filter(([, x]) => x !== null));
    else if (f.rule.field.length === 2) doc[head] = { [f.rule.field[1]]: value };
    else doc[head] = value;
  }
  return doc;
}
