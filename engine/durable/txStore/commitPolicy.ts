import { EngineError } from '../../errors.ts';

/**
 * When the transactional store commits. `perPublish`: a publish's ops are one transaction, issued
 * as the publish returns (other ops — deliveries, acks, topology — commit at the end of the current
 * turn). `group`: ops accumulate while a commit is in flight, and otherwise for up to `groupMs` or
 * `groupMaxOps` ops, then go as one transaction; one commit is in flight at a time, so the commit
 * latency is paid once per group instead of once per publish.
 */
export interface CommitPolicy {
  commit: 'perPublish' | 'group';
  groupMaxOps: number;
  groupMs: number;
}

export const DEFAULT_COMMIT_POLICY: CommitPolicy = { commit: 'perPublish', groupMaxOps: 1000, groupMs: 2 };

/** The policy with defaults filled in; a bad value is an EngineError naming the field. */
export function commitPolicy(options: Partial<CommitPolicy> = {}): CommitPolicy {
  const policy: CommitPolicy = {
    commit: options.commit ?? DEFAULT_COMMIT_POLICY.commit,
    groupMaxOps: options.groupMaxOps ?? DEFAULT_COMMIT_POLICY.groupMaxOps,
    groupMs: options.groupMs ?? DEFAULT_COMMIT_POLICY.groupMs,
  };
  if (policy.commit !== 'perPublish' && policy.commit !== 'group') throw new EngineError('INVALID_ARGUMENT', `commit must be perPublish or group, got '${String(policy.commit)}'`);
  if (!(Number.isInteger(policy.groupMaxOps) && policy.groupMaxOps >= 1)) throw new EngineError('INVALID_ARGUMENT', `groupMaxOps must be a whole number ≥ 1, got ${policy.groupMaxOps}`);
  if (!(Number.isFinite(policy.groupMs) && policy.groupMs >= 0)) throw new EngineError('INVALID_ARGUMENT', `groupMs must be ≥ 0, got ${policy.groupMs}`);
  return policy;
}
