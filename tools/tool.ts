// The shape of one MCP tool module: name, a description written for a model, zod input and output schemas,
// all four annotations set explicitly, and a thin handler that calls into src/.
import { z } from 'zod';
import type { InputRequiredResult } from '@modelcontextprotocol/server';
import type { ServerContext } from '../src/context.js';
import type { CallInfo } from '../src/safety/confirm.js';
import { TARGET_ALIASES } from '../src/intent/target.js';

export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolModule<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  input: I;
  output: O;
  /**
   * Output fields to list in tools/list, when not all: the catalog budget is 14 KB, and a model reads the full
   * result as text anyway. structuredContent is still validated against the whole `output` schema.
   */
  listed?: readonly string[];
  /**
   * Input fields listed by name only, with one shared description ("as in update_integration"): a batch takes every
   * field of update_integration, and repeating their schemas would double the catalog. They are validated in full.
   */
  brief?: Readonly<Record<string, string>>;
  /**
   * Input fields taken and validated but left out of tools/list: what earlier versions listed and a newer field
   * now says better (update_integrations' top-level fields, now under `set`). The target aliases (apiName,
   * resourceId) are left out of every tool.
   */
  unlisted?: readonly string[];
  /**
   * Not in the default catalog (every tool costs the catalog budget a model reads on every conversation): listed
   * only when --toolsets names it (or, for a read tool, with --read-only). `raw`: patch_integration; `audit`:
   * audit_integrations and diff_stage (deploy_api dryRun gives the same diff).
   */
  toolset?: 'raw' | 'audit';
  annotations: Annotations;
  /** The result's text, when not the JSON of structuredContent (a large batch answers in a few lines). */
  text?: (out: z.infer<O>) => string;
  /** `call` carries what may answer a confirmation asked earlier; write tools may return an input-required result. */
  run(args: z.infer<I>, ctx: ServerContext, call: CallInfo): Promise<z.infer<O> | InputRequiredResult>;
}

export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(t: ToolModule<I, O>): ToolModule<I, O> => t;

export const READ: Annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
/** Overwrites settings in place; the same call twice gives the same result. */
export const WRITE: Annotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true };
/** Shared by every write tool: a preview without sending anything. */
export const dryRunField = z.boolean().optional().describe('Preview only');
/** Shared by every write tool that may need a human: the answer from an earlier result. */
export const confirmationField = z.string().max(512).optional().describe('approvalId/confirmToken');
/** The fields every write tool adds to its target. */
export const writeFields = { dryRun: dryRunField, confirmation: confirmationField };
/** What write tools list of their result; the text carries all of it (before, after, diff, ops, risk). */
export const WRITE_LISTED = [] as const;
/** Listed as plain strings: the values are explained in each result's message and in the README. */

const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * Drops what costs catalog bytes and tells a model little: `$schema`, safe-integer bounds, string and array length
 * limits and patterns (validation still enforces them, and its errors say what is valid), redundant `propertyNames`
 * and enum types, a map's value type and a field's null alternative (the field's description says them),
 * `additionalProperties: false | {}`, empty `items`, and in output schemas `required` and `additionalProperties`.
 */
function compact(node: unknown, io: 'input' | 'output'): unknown {
  if (Array.isArray(node)) return node.map((n) => compact(n, io));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === 'minLength' || k === 'maxLength' || k === 'minItems' || k === 'maxItems' || k === 'pattern' || k === 'propertyNames') continue;
    if (k === 'additionalProperties' && (v === false || io === 'output' || (v && typeof v === 'object' && Object.keys(v).length === 0))) continue;
    // A map's value type and a nullable field's null: their descriptions say it ("-> source (null removes)").
    if (k === 'additionalProperties' && io === 'input' && v && typeof v === 'object' && 'type' in v && Object.keys(v).length === 1) continue;
    if (k === 'anyOf' && Array.isArray(v) && v.length === 2 && v.some((x) => x?.type === 'null')) {
      Object.assign(out, compact(v.find((x) => x?.type !== 'null'), io));
      continue;
    }
    if (k === 'items' && v && typeof v === 'object' && Object.keys(v).length === 0) continue;
    if ((k === 'minimum' && v === -SAFE_INT) || (k === 'maximum' && v === SAFE_INT)) continue;
    if (k === 'required' && io === 'output') continue;
    // An enum already says the type of its values.
    if (k === 'type' && v === 'string' && Array.isArray((node as Record<string, unknown>).enum)) continue;
    out[k] = compact(v, io);
  }
  return out;
}

/** An own `__proto__` key anywhere in the arguments (JSON.parse makes one); zod's records skip it silently. */
function protoKeyPath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | undefined {
  if (!value || typeof value !== 'object' || depth > 64) return undefined;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return [...path, key];
    const found = protoKeyPath((value as Record<string, unknown>)[key], [...path, Array.isArray(value) ? Number(key) : key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The same schema for validation, with a compact JSON Schema for tools/list: a model reads the whole catalog on
 * every conversation (budget: 14 KB), so every byte there should say something. `io: 'input'` also refuses
 * `__proto__` keys; results are what AWS holds and are not refused for their keys.
 */
export function lean<T extends z.ZodType>(schema: T, io: 'input' | 'output', listed?: readonly string[], briefFields?: ToolModule['brief'], hidden?: readonly string[]): T {
  const std = schema['~standard'] as any;
  // Listed fields keep their type and description, not their inner shape or enum: the result's text shows them.
  const brief = (p: any) => ({ type: p.type, ...(p.description ? { description: p.description } : {}) });
  const only = (js: any) => {
    if (!listed || !js.properties) return js;
    // Nothing listed: the result is an object whose text says everything (write tools).
    if (!listed.length) return { type: 'object' };
    return { ...js, properties: Object.fromEntries(listed.map((k) => [k, brief(js.properties[k])])) };
  };
  const named = (js: any) =>
    briefFields && js.properties
      ? { ...js, properties: Object.fromEntries(Object.entries(js.properties).map(([k, v]: [string, any]) => [k, briefFields[k] !== undefined ? { ...(v.type ? { type: v.type } : {}), description: briefFields[k] } : v])) }
      : js;
  const drop = (js: any, keys: readonly string[]) =>
    js.properties ? { ...js, properties: Object.fromEntries(Object.entries(js.properties).filter(([k]) => !keys.includes(k))), ...(js.required ? { required: js.required.filter((k: string) => !keys.includes(k)) } : {}) } : js;
  // The target aliases, wherever a target is (a batch's targets too).
  const aliases = (node: any): any => {
    if (Array.isArray(node)) return node.map(aliases);
    if (!node || typeof node !== 'object') return node;
    const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, aliases(pv)])) : aliases(v)]));
    return drop(out, TARGET_ALIASES);
  };
  const unlisted = (js: any) => (hidden?.length ? drop(js, hidden) : js);
  const jsonSchema = {
    input: (o: unknown) => compact(aliases(unlisted(named(std.jsonSchema.input(o)))), 'input'),
    output: (o: unknown) => compact(only(std.jsonSchema.output(o)), 'output'),
  };
  // Refused rather than dropped: a key silently ignored would apply the rest of a call the agent did not mean.
  const validate =
    io === 'output'
      ? std.validate
      : (value: unknown, options?: unknown) => {
          const bad = protoKeyPath(value);
          return bad ? { issues: [{ message: 'a "__proto__" key is not allowed', path: bad }] } : std.validate(value, options);
        };
  return { '~standard': { ...std, validate, jsonSchema } } as unknown as T;
}
