// The view a human reads before a deploy: a plain title with the count, one group per method with its changes,
// each naming the change of this server that made it or "made elsewhere"; values as stored, absence in words.
import { describe, expect, it } from 'vitest';
import type { Difference } from '../src/stage/diff.js';
import { deployView } from '../src/stage/view.js';

const diffs: Difference[] = [
  { method: 'GET /orders', part: 'integration', setting: '/uri', change: 'changed', live: 'https://a', working: 'https://b', madeBy: 'elsewhere' },
  { method: 'GET /orders/{id}', part: 'integration', setting: '/timeoutInMillis', change: 'changed', live: 10000, working: 8000, madeBy: 'this server', changeId: 'chg_1' },
  { method: 'GET /orders/{id}', part: 'integrationResponse', key: '404', change: 'added', working: { selectionPattern: '404' }, madeBy: 'this server', changeId: 'chg_2' },
  { method: 'DELETE /orders/{id}', part: 'method', change: 'removed', live: { integration: { type: 'HTTP_PROXY' } }, madeBy: 'elsewhere' },
];

describe('deployView', () => {
  const view = deployView({ api: { id: 'a1', name: 'shop' }, stageName: 'prod', createStage: false, stages: ['dev', 'prod'], differences: diffs, backend: 'AWS', account: '123', region: 'eu-west-1' });

  it('titles the deploy with its count, stage and API, and names account, region and stages', () => {
    expect(view).toMatchObject({ title: 'Deploy 4 changes to stage prod of API "shop"', kind: 'deploy', risk: 'confirm', account: '123', region: 'eu-west-1', stages: ['dev', 'prod'] });
    expect(view.notes).toEqual(['2 of these 4 were not made by this server (console, Terraform, another tool)']);
  });

  it('groups the changes per method, with live -> working and who made each', () => {
    expect(view.groups.map((g) => [g.heading, g.action, g.changes.length])).toEqual([
      ['GET /orders', 'update', 1],
      ['GET /orders/{id}', 'update', 2],
      ['DELETE /orders/{id}', 'delete', 1],
    ]);
    expect(view.groups[1].changes).toEqual([
      { setting: 'integration /timeoutInMillis (chg_1)', before: { meaning: '10000 ms' }, after: { meaning: '8000 ms' } },
      { setting: 'integration response 404 (chg_2)', before: { meaning: 'not live' }, after: { value: { selectionPattern: '404' } } },
    ]);
    expect(view.groups[0].changes[0].setting).toBe('integration /uri (made elsewhere)');
    expect(view.groups[2].changes[0].after).toEqual({ meaning: 'removed' });
  });

  it('titles a new stage by the methods it will serve', () => {
    const v = deployView({ api: { id: 'a1' }, stageName: 'beta', createStage: true, stages: ['prod'], differences: diffs.slice(3), backend: 'AWS' });
    expect(v.title).toBe('Create stage beta of API a1 serving 1 method');
  });
});
