// The shape of one MCP tool module: name, a description written for a model, zod input and output schemas,
// all four annotations set explicitly, and a thin handler that calls into src/.
import type { z } from 'zod';
import type { ServerContext } from '../src/context.js';

export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolModule<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: Annotations;
  run(args: z.infer<I>, ctx: ServerContext): Promise<z.infer<O>>;
}

export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(t: ToolModule<I, O>): ToolModule<I, O> => t;

export const READ: Annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
