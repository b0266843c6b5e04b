import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { ConfigSchema } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createServer } from '../src/server.js';
it('size', async () => {
  const config = ConfigSchema.parse({ backend: 'local', statePath: '/nonexistent/x.json', auditLog: '/nonexistent/a.jsonl', maxTimeoutMs: 29000 });
  const server = createServer(createContext(config));
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'x', version: '1' });
  await client.connect(b);
  const tools = (await client.listTools()).tools;
  writeFileSync('/tmp/tools.json', JSON.stringify(tools, null, 1));
  writeFileSync('/tmp/sizes.txt', `TOTAL ${Buffer.byteLength(JSON.stringify({ tools }))}\n` + tools.map((t) => `${t.name} ${Buffer.byteLength(JSON.stringify(t))} desc=${t.description!.length} in=${Buffer.byteLength(JSON.stringify(t.inputSchema))} out=${Buffer.byteLength(JSON.stringify(t.outputSchema))}`).join('\n'));
});
