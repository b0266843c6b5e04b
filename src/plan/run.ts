// The write pipeline every write tool goes through, as named phases: plan -> check locally -> read -> check against
// state -> preview -> confirm -> apply -> record. Nothing is sent for bad input, for a change that is already so, or
// for a dry run; a human is asked once for the whole plan; a failure part-way is compensated.
import { fromAwsError } from '../aws/errors.js';
import type { Gateway } from '../aws/gateway.js';
import { ToolError } from '../errors.js';
import { log } from '../log.js';
import { maxRisk, type RiskLevel } from '../patch/rules.js';
import type { Doc } from '../patch/values.js';
import { newChangeId, type StepRecord } from '../safety/audit.js';
import type { CallInfo } from '../safety/confirm.js';
import { hashOf } from '../safety/hash.js';
import { needsHuman } from '../safety/policy.js';
import { settle } from '../safety/verdict.js';
import { writeAhead, type WriteAhead } from '../safety/writeAhead.js';
import { applyGroups, applySteps, type ApplyOutcome, type Reread } from './apply.js';
import { ask } from './ask.js';
import { checkSteps } from './check.js';
import type { WriteContext } from './context.js';
import type { DoneStep } from './inverse.js';
import type { Model } from './model.js';
import type { Built, Planner } from './planner.js';
import { nameMethods } from './planners/read.js';
import { outcome, type Preview } from './outcomes.js';
import { boundDiff, subjectView, type StepResult, type WriteOutcome, type WriteResult } from './result.js';
import { groupsOf, humanView } from './view.js';
import { diffDocs } from '../patch/diff.js';
import { boundDoc } from '../patch/bounded.js';
import { cacheWarnings } from '../stage/cache.js';
import { describeStep, headingOf, methodKey, methodName, type CheckedStep } from './step.js';

export interface RunOptions {
  dryRun?: boolean;
  call: CallInfo;
  /** Undo: the change this plan reverts. */
  undoes?: string;
  /** Reports progress of a long plan (MCP progress notifications when the client asked for them). */
  progress?: (done: number, total: number, message: string) => void;
  /** Batches: apply each target on its own and keep what succeeded, instead of all or nothing. */
  keepGoing?: boolean;
}

/** The subject as results show it: an integration with its integration responses, other resources as they are. */
function subjectDoc(model: Model, s: Built['subject']): Doc | undefined {
  if (s.resource === 'integration') return model.method(s.address)?.methodIntegration;
  return model.read(s.resource, s.address);
}

function risksOf(checked: readonly CheckedStep[]): { risk: RiskLevel; reasons: string[] } {
  return { risk: maxRisk(checked.map((c) => c.risk)), reasons: checked.flatMap((c) => c.reasons) };
}

/** Every write of the plan, grouped per resource, for the result. */
function stepResults(checked: readonly CheckedStep[]): StepResult[] {
  return groupsOf(checked).map((g) => {
    const steps = checked.filter((c) => `${c.resource}:${c.address.restApiId}/${c.address.resourceId}/${c.address.httpMethod}${c.address.statusCode ? `/${c.address.statusCode}` : ''}` === g.key);
    const ops = steps.flatMap((s) => s.ops ?? []);
    const because = steps.map((s) => s.because).filter(Boolean).join('; ');
    return {
      resource: g.heading,
      action: steps.some((s) => s.action === 'put') ? 'put' : steps.every((s) => s.action === 'delete') ? 'delete' : 'update',
      ...(because ? { because } : {}),
      ...(ops.length ? { patchOperations: boundDoc(ops) } : {}),
      diff: boundDiff(diffDocs(g.before, g.after)),
    };
  });
}

/** How a step shows in the audit record's `ops` (list_changes): its ops, or what happens to the resource. */
const opsForRecord = (checked: readonly CheckedStep[]) =>
  checked.flatMap((c) => (c.action === 'update' ? (c.ops ?? []) : [{ op: c.action, path: headingOf(c.resource, c.address) }]));

const stepRecords = (done: readonly DoneStep[]): StepRecord[] =>
  done.map((d) => ({
    resource: d.resource,
    address: Object.fromEntries(Object.entries(d.address).filter(([, v]) => v !== undefined)) as Record<string, string>,
    action: d.action,
    ...(d.ops && { ops: d.ops }),
    ...(d.document && { document: d.document }),
    ...(d.before && { before: d.before }),
    ...(d.after && { after: d.after }),
  }));

/**
 * Cache keys take effect only on a stage with a cache cluster and caching on for the method: a plan that sets them
 * says, per stage, where nothing is cached and the call that fixes it (one GetStages, only when cache keys change).
 */
async function cacheNotes(gateway: Gateway, planned: Model, checked: readonly CheckedStep[]): Promise<string[]> {
  const touched = checked.filter(
    (c) => c.resource === 'integration' && (c.ops?.some((o) => o.op === 'add' && o.path.startsWith('/cacheKeyParameters/')) || (c.action === 'put' && (c.document?.cacheKeyParameters ?? []).length)),
  );
  if (!touched.length) return [];
  const stages = await gateway.getStages(touched[0].address.restApiId).catch(() => []);
  return touched.flatMap((c) =>
    cacheWarnings(stages, {
      restApiId: c.address.restApiId,
      resourcePath: planned.addresses.find((a) => methodKey(a) === methodKey(c.address))?.resourcePath ?? c.address.resourcePath ?? '',
      httpMethod: c.address.httpMethod,
      cacheKeyParameters: (planned.method(c.address)?.methodIntegration?.cacheKeyParameters ?? []) as string[],
    }).map((w) => `${w.message} Fix: ${w.fix.tool} ${JSON.stringify(w.fix.arguments)}`),
  );
}

/** Every applied write says that callers see it only after a deployment, and which stages serve the API. */
async function deployNote(ctx: WriteContext, gateway: Gateway, restApiId: string, checked: readonly CheckedStep[] = []): Promise<string> {
  if (checked.length && checked.every((c) => c.resource === 'stage')) return 'Stage settings apply at once (no deployment needed).';
  const stages = await ctx.stages.names(gateway, restApiId).catch(() => undefined);
  const which = stages === undefined ? '' : stages.length ? ` Stages serving this API: ${stages.join(', ')}.` : ' The API has no stage yet.';
  return `Callers see it only after deploy_api to a stage.${which}`;
}

export async function runPlan(ctx: WriteContext, planner: Planner, opts: RunOptions): Promise<WriteOutcome> {
  // 1. Check locally: everything that can be known without AWS, before any call.
  const localRisk = planner.checkLocally();
  if (needsHuman(localRisk, ctx.policy) && !opts.dryRun) {
    const refusal = ctx.confirmer.refusesOutright(opts.call);
    if (refusal) throw new ToolError(refusal, 'needs_human');
  }

  // 2. Read: resolve the target, check the scope, read each method touched once.
  const gateway = await ctx.backend.gateway();
  const model = await planner.read(ctx, gateway);
  const target = planner.target(model);
  const base = { backend: ctx.backend.label, target };
  const moved = planner.moved?.(model);
  if (moved) return outcome.moved(base, moved.before, moved.after, moved.message);

  // 3. Check against state: the steps, each checked on the state it starts from.
  let built = planner.build(model);
  let { checked, model: planned } = checkSteps(model, built.steps, ctx.env, planner.names);
  const { risk } = risksOf(checked);
  const human = needsHuman(risk, ctx.policy);
  // A human reads names, not ids: look them up (cached) when the agent gave ids, and plan again with them.
  if (human && model.addresses.some((a) => !a.resourcePath || !a.apiName)) {
    await nameMethods(ctx, gateway, model);
    built = planner.build(model);
    ({ checked, model: planned } = checkSteps(model, built.steps, ctx.env, planner.names));
  }
  const { reasons } = risksOf(checked);
  const notes = [...checked.map((c) => c.because).filter((b): b is string => !!b).map((b) => `also ${b}`), ...(built.notes ?? [])];

  // 4. Preview: one result for the whole plan.
  const subjectOps = checked.filter((c) => c.resource === built.subject.resource && c.address.statusCode === built.subject.address.statusCode).flatMap((c) => c.ops ?? []);
  const preview: Preview = {
    ...base,
    risk,
    riskReasons: reasons,
    // Ops as values go: a 300 KB template is shown by its hash, size and head (the audit log keeps it whole).
    patchOperations: boundDoc(subjectOps),
    ...subjectView(subjectDoc(model, built.subject), subjectDoc(planned, built.subject)),
    ...(checked.length ? { steps: stepResults(checked) } : {}),
    ...(notes.length ? { notes } : {}),
    ...planner.extra?.(),
  };
  if (checked.length === 0) return outcome.noChange(preview, built.already);
  if (opts.dryRun) return outcome.dryRun(preview, checked.length, human);

  // 5. Confirm: once for the whole plan, bound to every step and every document read.
  let confirmation: { via: string; id?: string } = { via: human ? 'unreachable' : ctx.policy === 'never' && risk === 'confirm' ? 'policy_never' : 'not_needed' };
  if (human) {
    const steps = built.steps.map(({ because: _, ...s }) => s);
    const binding = hashOf({ steps, reads: model.snapshot() });
    const change = hashOf({ steps: steps.map((s) => ({ ...s, address: { restApiId: s.address.restApiId, resourceId: s.address.resourceId, httpMethod: s.address.httpMethod, statusCode: s.address.statusCode, stageName: s.address.stageName } })) });
    const api = model.addresses[0];
    const facts = {
      title: built.title,
      kind: planner.kind,
      api: { id: api.restApiId, ...(api.apiName ? { name: api.apiName } : {}) },
      backend: ctx.backend.label,
      ...(await ctx.backend.account().then((account) => (account ? { account } : {}))),
      ...(ctx.backend.region ? { region: ctx.backend.region } : {}),
      ...(ctx.backend.profile ? { profile: ctx.backend.profile } : {}),
      ...(await ctx.stages.names(gateway, api.restApiId).then((stages) => ({ stages })).catch(() => ({}))),
      ...(ctx.client ? { client: ctx.client } : {}),
      ...(built.targets ? { targets: built.targets } : {}),
    };
    const settled = settle(await ask(ctx, opts.call, binding, change, humanView(facts, checked, notes)));
    if (settled.kind === 'ask') return settled.result;
    if (settled.kind === 'stop') return outcome.stopped(preview, settled.fields);
    confirmation = settled.confirmation;
    // A 2025-era client was asked during this call, which waited for the human: read again before sending, or an
    // accept would overwrite whatever changed meanwhile (a retry, in the other ways of asking, reads anew anyway).
    if (confirmation.via === 'elicitation' && opts.call.elicit) {
      const now = await planner.read(ctx, gateway);
      if (hashOf(now.snapshot()) !== hashOf(model.snapshot())) return outcome.changedWhileAsked(preview, subjectDoc(model, built.subject), subjectDoc(now, built.subject));
    }
  }

  // 6. Apply, recorded ahead: an intent line first, then the outcome with every step.
  const changeId = newChangeId();
  const ahead = writeAhead(ctx.audit, {
    changeId,
    time: new Date().toISOString(),
    kind: 'plan',
    backend: ctx.backend.label,
    ...(ctx.backend.region ? { region: ctx.backend.region } : {}),
    ...(ctx.backend.profile ? { profile: ctx.backend.profile } : {}),
    ...(await ctx.backend.account().then((account) => (account ? { account } : {}))),
    // Names as well as ids where this process knows them (no call), so list_changes finds a change by name.
    target: { ...ctx.resolver.known(target.restApiId, target.resourceId ?? ''), ...target },
    ops: opsForRecord(checked),
    steps: stepRecords(checked),
    beforeHash: hashOf(model.snapshot()),
    risk,
    confirmation,
    ...(opts.undoes ? { undoes: opts.undoes } : {}),
  });
  // A step whose answer was lost is read back where it lives: its Method, or its Stage.
  const reread = (a: CheckedStep['address']) =>
    (a.stageName !== undefined ? gateway.getStage(a.restApiId, a.stageName) : gateway.getMethod(a)).catch((err: { name?: string }) => (err?.name === 'NotFoundException' ? undefined : Promise.reject(err)));
  if (opts.keepGoing) return keepGoing(ctx, gateway, checked, reread, opts, ahead, { preview, built, planned, model });
  const sent: ApplyOutcome = await applySteps(gateway, checked, reread, opts.progress);
  // The intent record stays: list_changes shows this change as of unknown outcome.
  if (sent.kind === 'unknown') return outcome.unknown(preview, changeId, sent);
  if (sent.kind === 'failed') {
    const rollback = outcome.rollback(sent);
    if (sent.left.length) ahead.partial({ rollback, steps: stepRecords(sent.done) });
    else ahead.failed({ rollback });
    // AWS's own error, with its code (throttled, conflict, not_found...), and what happened to the steps before it.
    throw outcome.failed(fromAwsError(sent.error, ctx.backend), sent, changeId, checked.length);
  }
  ahead.applied({ steps: stepRecords(sent.done), afterHash: hashOf(sent.done.map((d) => d.after ?? null)) });
  log(`${changeId}: applied ${checked.length} step(s) on ${ctx.backend.label}: ${checked.map(describeStep).join('; ')}`);

  // 7. The result: the subject as AWS now holds it (the last answer of a step on it).
  const deploy = await deployNote(ctx, gateway, target.restApiId, checked);
  const warnings = await cacheNotes(gateway, planned, checked);
  const answered = [...sent.done].reverse().find((d) => d.resource === built.subject.resource && d.address.statusCode === built.subject.address.statusCode);
  const after = built.subject.resource === 'integration' && answered ? { ...subjectDoc(planned, built.subject), ...answered.after } : (answered?.after ?? subjectDoc(planned, built.subject));
  const applied = { ...preview, ...subjectView(subjectDoc(model, built.subject), after), changeId, ...(warnings.length ? { warnings } : {}) };
  if (sent.drift.length) return outcome.drifted(applied, sent.drift, deploy);
  return outcome.applied(applied, checked.length, sent.verified, deploy);
}

/** keepGoing: every target applied on its own; the result lists exactly which did and which did not. */
async function keepGoing(
  ctx: WriteContext,
  gateway: Gateway,
  checked: CheckedStep[],
  reread: Reread,
  opts: RunOptions,
  ahead: WriteAhead,
  at: { preview: Preview; built: Built; planned: Model; model: Model },
): Promise<WriteResult> {
  const groups = new Map<string, { target: string; steps: CheckedStep[] }>();
  for (const c of checked) {
    const key = methodKey(c.address);
    if (!groups.has(key)) groups.set(key, { target: methodName(c.address), steps: [] });
    groups.get(key)!.steps.push(c);
  }
  const out = await applyGroups(gateway, [...groups.values()], reread, opts.progress);
  const failed = [
    ...out.failed.map((f) => ({ target: f.target, error: `${fromAwsError(f.error, ctx.backend).message}${f.left.length ? ` Left applied: ${f.left.join('; ')}` : ' (rolled back)'}` })),
    ...out.unknown.map((u) => ({ target: u.target, error: `answer lost, outcome unknown (${(u.error as Error).message}); check it with get_integration` })),
  ];
  const appliedTargets = [...new Set(out.done.map((d) => methodName(d.address)))];
  const changeId = ahead.changeId;
  if (out.done.length) ahead.applied({ steps: stepRecords(out.done), afterHash: hashOf(out.done.map((d) => d.after ?? null)) });
  else ahead.failed({ rollback: { failedAt: failed.map((f) => f.target).join(', '), applied: [], rolledBack: [], left: [] } });
  if (!out.done.length) throw new ToolError(`Nothing stayed applied: ${failed.map((f) => `${f.target}: ${f.error}`).join('; ')}`, 'aws_error');
  const deploy = await deployNote(ctx, gateway, at.preview.target.restApiId);
  return outcome.kept({ ...at.preview, changeId }, { applied: appliedTargets, of: groups.size, failed, drift: out.drift }, deploy);
}
