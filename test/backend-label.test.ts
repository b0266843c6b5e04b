// What every result, log line, approval page and audit record calls the backend: never a secret.
import { expect, it } from 'vitest';
import { describeBackend } from '../src/backend.js';
import { parseServerArgs } from '../src/options.js';

it('leaves a user and password in --endpoint-url out of the backend label', () => {
  const config = parseServerArgs(['--endpoint-url', 'http://admin:hunter2@127.0.0.1:4566', '--region', 'us-east-1'], {});
  const label = describeBackend(config);
  expect(label).toBe('endpoint http://127.0.0.1:4566, region us-east-1');
  expect(label).not.toMatch(/admin|hunter2/);
  expect(describeBackend(parseServerArgs(['--endpoint-url', 'http://127.0.0.1:4566/base', '--region', 'us-east-1'], {}))).toBe('endpoint http://127.0.0.1:4566/base, region us-east-1');
});
