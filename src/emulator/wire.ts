// Request-level checks that API Gateway's front end (Coral) makes before any resource is looked up:
// JSON types (SerializationException) and modelled constraints such as enums and patterns (ValidationException).
import type { PatchOperation } from '../patch/rules.js';
import { badRequest, serialization, statusCodeViolation, validation, enumConstraint, type Violation } from './errors.js';
import type { Doc } from './state.js';

type Expected = 'String' | 'Integer' | 'Double' | 'Boolean' | 'Map' | 'List';

/** The Java class AWS names in a SerializationException for a JSON value. */
function javaClass(v: unknown): string {
  if (typeof v === 'boolean') return 'java.lang.Boolean';
  // Coral reads every JSON number as this class (recorded for a number where a template string belongs).
  if (typeof v === 'number') return 'com.amazon.coral.value.json.numbers.TruncatingBigNumber';
  if (typeof v === 'string') return 'java.lang.String';
  return Array.isArray(v) ? 'java.util.ArrayList' : 'java.util.LinkedHashMap';
}

// Text recorded from AWS for a boolean where a string belongs (apigw-spec.md §1.5); other pairs follow its pattern.
const mismatch = (v: unknown, expected: Expected) => serialization(`class ${javaClass(v)} can not be converted to an ${expected}`);

const isType = (v: unknown, expected: Expected) =>
  expected === 'String' ? typeof v === 'string'
  : expected === 'Integer' ? typeof v === 'number' && Number.isInteger(v)
  : expected === 'Double' ? typeof v === 'number'
  : expected === 'Boolean' ? typeof v === 'boolean'
  : expected === 'List' ? Array.isArray(v)
  : v !== null && typeof v === 'object' && !Array.isArray(v);

function field(body: Doc, key: string, expected: Expected): any {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!isType(v, expected)) throw mismatch(v, expected);
  return v;
}

export const str = (body: Doc, key: string): string | undefined => field(body, key, 'String');
export const int = (body: Doc, key: string): number | undefined => field(body, key, 'Integer');
export const double = (body: Doc, key: string): number | undefined => field(body, key, 'Double');
export const bool = (body: Doc, key: string): boolean | undefined => field(body, key, 'Boolean');
export const obj = (body: Doc, key: string): Doc | undefined => field(body, key, 'Map');

/** A map whose values are all of one type; `null` values are kept (a request template without a body). */
export function mapOf(body: Doc, key: string, values: Expected): Record<string, any> | undefined {
  const m = field(body, key, 'Map');
  if (m) for (const v of Object.values(m)) if (v !== null && !isType(v, values)) throw mismatch(v, values);
  return m;
}

export function listOfStrings(body: Doc, key: string): string[] | undefined {
  const l = field(body, key, 'List');
  if (l) for (const v of l) if (!isType(v, 'String')) throw mismatch(v, 'String');
  return l;
}

/** Throws the ValidationException AWS sends for a status code outside [1-5]\d\d. */
export function checkStatusCode(statusCode: string): void {
  if (!/^[1-5]\d\d$/.test(statusCode)) throw validation([statusCodeViolation(statusCode)]);
}

/** The PatchOperation `op` enum in the order AWS lists it in its messages. */
const OP_ENUM = ['add', 'remove', 'move', 'test', 'replace', 'copy'];

/**
 * Reads `patchOperations` and applies the enum check AWS makes before anything else (§2.2): every bad `op` is one
 * violation, addressed as `<input>.patchOperations.<1-based index>.member.op`.
 */
export function readPatchOperations(body: Doc, input: string): PatchOperation[] {
  const list = field(body, 'patchOperations', 'List') ?? [];
  const ops: PatchOperation[] = list.map((item: unknown) => {
    if (!isType(item, 'Map')) throw mismatch(item, 'Map');
    const op: Doc = {};
    for (const key of ['op', 'path', 'value', 'from']) {
      const v = str(item as Doc, key);
      if (v !== undefined) op[key] = v;
    }
    return op as PatchOperation;
  });
  const violations: Violation[] = [];
  ops.forEach((op, i) => {
    if (!OP_ENUM.includes(op.op))
      violations.push({ value: op.op ?? null, at: `${input}.patchOperations.${i + 1}.member.op`, constraint: enumConstraint(OP_ENUM) });
  });
  if (violations.length) throw validation(violations);
  // AWS's text for an op without a path (recorded on UpdateGatewayResponse). Checked here because the patch
  // engine expects every op to carry one (PatchOperation.path is required there).
  if (ops.some((op) => op.path === undefined)) throw badRequest('Invalid patch path null');
  return ops;
}
