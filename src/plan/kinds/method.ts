// The Method itself (its request parameters: this server changes nothing else of it), and its creation for a CORS
// preflight (PutMethod OPTIONS without authorization, as the console does).
import { RULES } from '../../patch/rules.js';
import type { Doc } from '../../patch/values.js';
import { at, type Kind } from './kind.js';

/** The Method without its responses and integration (what UpdateMethod patches). */
export const methodFields = ({ methodResponses: _r, methodIntegration: _i, ...rest }: Doc): Doc => rest;

export const METHOD: Kind = {
  resource: 'method',
  read: (m) => m && methodFields(m),
  write: (m, _a, doc) => doc && { ...doc, ...(m?.methodResponses && { methodResponses: m.methodResponses }), ...(m?.methodIntegration && { methodIntegration: m.methodIntegration }) },
  stored: (d, a) => ({ httpMethod: a.httpMethod, apiKeyRequired: false, ...d }),
  document: (d) => methodFields(d),
  checkPut: (d) => {
    for (const name of Object.keys(d.requestParameters ?? {})) {
      const p = RULES.find((r) => r.resource === 'method' && r.path === '/requestParameters/{name}')!.keyed!.check(name, { maxTimeoutMs: 0 });
      if (p) return p;
    }
    return d.authorizationType === 'NONE' ? undefined : { message: 'this server creates methods only without authorization (a CORS preflight)' };
  },
  env: () => ({}),
  async send(g, s) {
    if (s.action === 'put') return methodFields(await g.putMethod(at(s.address), s.document!));
    if (s.action === 'update') return methodFields(await g.updateMethod(at(s.address), s.ops!));
    await g.deleteMethod(at(s.address));
    return undefined;
  },
};
