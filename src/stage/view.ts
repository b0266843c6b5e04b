// What a human reads before a deployment: the net difference per method, each change saying which change of this
// server made it or that it was made elsewhere (HumanView, rendered by the shared renderer).
import type { HumanView, Shown, ViewChange, ViewGroup } from '../safety/view.js';
import type { Difference } from './diff.js';
import type { Resource } from '../patch/rules.js';
import { shownSetting } from '../plan/view.js';

const PART_NAME: Record<Difference['part'], string> = {
  method: 'method',
  integration: 'integration',
  integrationResponse: 'integration response',
  requestParameter: 'request parameter',
  methodResponse: 'method response',
};

/** "integration /timeoutInMillis (chg_…)", "integration response 404 (made elsewhere)". */
export function settingName(d: Difference): string {
  const what = [PART_NAME[d.part], d.key, d.setting].filter(Boolean).join(' ');
  return `${what} (${d.changeId ?? 'made elsewhere'})`;
}

/** The resource kind whose rules name a difference's setting (its label's meaning, e.g. "12345 ms"). */
const RESOURCE_OF: Record<Difference['part'], Resource> = {
  method: 'method',
  requestParameter: 'method',
  integration: 'integration',
  integrationResponse: 'integrationResponse',
  methodResponse: 'methodResponse',
};
const side = (d: Difference, value: unknown, absent: string): Shown =>
  value === undefined ? { meaning: absent } : d.setting ? shownSetting(RESOURCE_OF[d.part], d.setting, value, true) : { value };
const liveSide = (d: Difference): Shown => side(d, d.live, 'not live');
const workingSide = (d: Difference): Shown => side(d, d.working, 'removed');

export function deployGroups(differences: readonly Difference[]): ViewGroup[] {
  const groups = new Map<string, ViewGroup>();
  for (const d of differences) {
    const g = groups.get(d.method) ?? { heading: d.method, action: 'update' as ViewGroup['action'], changes: [] as ViewChange[] };
    if (d.part === 'method') g.action = d.change === 'added' ? 'create' : 'delete';
    g.changes.push({ setting: settingName(d), before: liveSide(d), after: workingSide(d) });
    groups.set(d.method, g);
  }
  return [...groups.values()];
}

export interface DeployViewInput {
  api: { id: string; name?: string };
  stageName: string;
  createStage: boolean;
  stages: string[];
  differences: readonly Difference[];
  backend: string;
  account?: string;
  region?: string;
  profile?: string;
}

export function deployView(i: DeployViewInput): HumanView {
  const n = i.differences.length;
  const elsewhere = i.differences.filter((d) => d.madeBy === 'elsewhere').length;
  // The API's name is data: quoted, as in every title.
  const apiName = i.api.name !== undefined ? `API ${JSON.stringify(i.api.name)}` : `API ${i.api.id}`;
  return {
    title: i.createStage
      ? `Create stage ${i.stageName} of ${apiName} serving ${n} method${n === 1 ? '' : 's'}`
      : `Deploy ${n} change${n === 1 ? '' : 's'} to stage ${i.stageName} of ${apiName}`,
    kind: 'deploy',
    api: i.api,
    backend: i.backend,
    ...(i.account ? { account: i.account } : {}),
    ...(i.region ? { region: i.region } : {}),
    ...(i.profile ? { profile: i.profile } : {}),
    stages: i.stages,
    risk: 'confirm',
    reasons: [`a deployment makes every difference below live for callers of stage ${i.stageName} at once`],
    groups: deployGroups(i.differences),
    ...(elsewhere ? { notes: [`${elsewhere} of these ${n} were not made by this server (console, Terraform, another tool)`] } : {}),
  };
}
