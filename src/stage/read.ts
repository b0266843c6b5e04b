// Reads both sides of what goes live for one stage, from AWS itself: the stage's export (what it serves) and the
// working definition (GetResources embed=methods), then diffs them and attributes each difference.
import type { Gateway } from '../aws/gateway.js';
import type { AuditRecord } from '../safety/audit.js';
import { hashOf } from '../safety/hash.js';
import { attribute, diffDefinitions, touchesOf, type Difference } from './diff.js';
import { comparable, exportedMethods, workingMethods, type MethodShape } from './shape.js';

export interface StageDiff {
  /** Hash of the working definition compared: a deploy's confirmation is bound to it. */
  workingHash: string;
  differences: Difference[];
  /** Methods of the working definition (with resource ids), for views and warnings. */
  working: Map<string, MethodShape>;
}

/** The working definition only, with its hash (one paged GetResources). */
export async function readWorking(gateway: Gateway, restApiId: string): Promise<{ working: Map<string, MethodShape>; workingHash: string }> {
  const working = workingMethods(await gateway.listResources(restApiId, true));
  return { working, workingHash: hashOf(comparable(working)) };
}

/**
 * The difference for `stageName`; a stage that does not exist yet (deploy with createStage) serves nothing, so
 * every working method is added.
 */
export async function readStageDiff(
  gateway: Gateway,
  restApiId: string,
  stageName: string | undefined,
  history: { records: readonly AuditRecord[]; backend: string },
): Promise<StageDiff> {
  const [{ working, workingHash }, live] = await Promise.all([
    readWorking(gateway, restApiId),
    stageName ? gateway.getExport(restApiId, stageName).then(exportedMethods) : Promise.resolve(new Map<string, MethodShape>()),
  ]);
  const differences = attribute(diffDefinitions(live, working), working, touchesOf(history.records, restApiId, history.backend));
  return { workingHash, differences, working };
}
