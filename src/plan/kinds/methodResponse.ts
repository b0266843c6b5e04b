// A method response (by status code): the headers and models a method declares for it.
import { checkMethodResponseDocument, storedMethodResponse } from '../../patch/documents.js';
import type { Doc } from '../../patch/values.js';
import { atStatus, withEntry, type Kind } from './kind.js';

export const METHOD_RESPONSE: Kind = {
  resource: 'methodResponse',
  read: (m, a) => m?.methodResponses?.[a.statusCode!],
  write: (m, a, doc) => m && withEntry(m, 'methodResponses', a.statusCode!, doc),
  stored: (d, a) => storedMethodResponse(a.statusCode!, d),
  document: ({ statusCode: _, ...d }: Doc) => d,
  checkPut: (d, env) => checkMethodResponseDocument(d, env),
  env: (m) => ({ method: m }),
  async send(g, s) {
    if (s.action === 'put') return g.putMethodResponse(atStatus(s.address), s.document!);
    if (s.action === 'update') return g.updateMethodResponse(atStatus(s.address), s.ops!);
    await g.deleteMethodResponse(atStatus(s.address));
    return undefined;
  },
};
