// Prerequisites become steps, not refusals: a mapping or cache key from an undeclared method.request.* parameter
// declares it on the method (not required); a header mapping onto a method response that lacks the header, or for
// a status code the method has no method response for, declares the header or creates the method response.
import { toPointer } from '../patch/pointer.js';
import { METHOD_REQUEST, type Doc } from '../patch/values.js';
import { methodName, type Address, type Step } from './step.js';

/** The name a method declares for a source (a multivalue source reads the single name: AWS docs). */
export const declaredName = (source: string) => source.replace(/^method\.request\.multivalue(querystring|header)\./, 'method.request.$1.');

/** The method.request.* parameters that mapping sources and cache keys read. */
export function parametersUsed(sources: Iterable<string>): string[] {
  return [...new Set([...sources].filter((s) => METHOD_REQUEST.test(s)).map(declaredName))];
}

/** One UpdateMethod step declaring (not required) each parameter the method lacks, or nothing. */
export function declareParameters(method: Doc | undefined, a: Address, names: readonly string[], user: string): Step | undefined {
  const declared = method?.requestParameters ?? {};
  const missing = names.filter((n) => !Object.prototype.hasOwnProperty.call(declared, n));
  if (!missing.length) return undefined;
  return {
    resource: 'method',
    address: a,
    action: 'update',
    ops: missing.map((n) => ({ op: 'add', path: toPointer('requestParameters', n), value: 'false' })),
    because: `declares ${missing.join(', ')} on ${methodName(a)} (not required), which ${user} reads`,
  };
}

/**
 * The step that makes method response `statusCode` exist with every header in `headers` declared: a put when it is
 * missing, an update adding the missing headers, or nothing.
 */
export function declareResponseHeaders(method: Doc | undefined, a: Address, statusCode: string, headers: readonly string[], user: string): Step | undefined {
  const address = { ...a, statusCode };
  const existing = method?.methodResponses?.[statusCode];
  if (!existing)
    return {
      resource: 'methodResponse',
      address,
      action: 'put',
      document: headers.length ? { responseParameters: Object.fromEntries(headers.map((h) => [h, false])) } : {},
      because: `creates method response ${statusCode} on ${methodName(a)}${headers.length ? ` declaring ${headers.join(', ')}` : ''}, which ${user} maps onto`,
    };
  const declared = existing.responseParameters ?? {};
  const missing = headers.filter((h) => !Object.prototype.hasOwnProperty.call(declared, h));
  if (!missing.length) return undefined;
  return {
    resource: 'methodResponse',
    address,
    action: 'update',
    ops: missing.map((h) => ({ op: 'add', path: toPointer('responseParameters', h), value: 'false' })),
    because: `declares ${missing.join(', ')} on method response ${statusCode} of ${methodName(a)}, which ${user} maps`,
  };
}
