// The shape of one MCP tool module: name, a description written for a model, zod input and output schemas,
// all four annotations set explicitly, and a thin handler that calls into src/.
import { z } from 'zod';
import type { ServerContext } from '../src/context.js';

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
  annotations: Annotations;
  run(args: z.infer<I>, ctx: ServerContext): Promise<z.infer<O>>;
}

export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(t: ToolModule<I, O>): ToolModule<I, O> => t;

export const READ: Annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
/** Overwrites settings in place; the same call twice gives the same result. */
export const WRITE: Annotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true };
/** Shared by every write tool: a preview without sending anything. */
export const dryRunField = z.boolean().optional().describe('Preview; send nothing');

const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * Drops what costs catalog bytes and tells a model little: `$schema`, safe-integer bounds, string length limits
 * and patterns (validation still enforces them, and its errors say what is valid), redundant `propertyNames`,
 * `additionalProperties: false | {}`, empty `items`, and in output schemas `required` and `additionalProperties`.
 */
function compact(node: unknown, io: 'input' | 'output'): unknown {
  if (Array.isArray(node)) return node.map((n) => compact(n, io));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === 'minLength' || k === 'maxLength' || k === 'pattern' || k === 'propertyNames') continue;
    if (k === 'additionalProperties' && (v === false || io === 'output' || (v && typeof v === 'object' && Object.keys(v).length === 0))) continue;
    if (k === 'items' && v && typeof v === 'object' && Object.keys(v).length === 0) continue;
    if ((k === 'minimum' && v === -SAFE_INT) || (k === 'maximum' && v === SAFE_INT)) continue;
    if (k === 'required' && io === 'output') continue;
    out[k] = compact(v, io);
  }
  return out;
}

/**
 * The same schema for validation, with a compact JSON Schema for tools/list: a model reads the whole catalog on
 * every conversation (budget: 12 KB), so every byte there should say something.
 */
export function lean<T extends z.ZodType>(schema: T): T {
  const std = schema['~standard'] as any;
  const jsonSchema = {
    input: (o: unknown) => compact(std.jsonSchema.input(o), 'input'),
    output: (o: unknown) => compact(std.jsonSchema.output(o), 'output'),
  };
  return { '~standard': { ...std, jsonSchema } } as unknown as T;
}
