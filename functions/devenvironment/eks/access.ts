import type { CompositeEvent } from '../../shared/composed.js';
import { shortHash } from '../../shared/names.js';
import { AWS } from '../../shared/resources/aws.js';
import { managedResource } from '../../shared/resources/managed.js';
import type { DevEnvironmentContext } from '../context.js';
import { RESOURCE } from '../naming.js';
import { IN_CLUSTER, inEksCluster } from './cluster.js';
import type { EksStage } from './stage.js';

/** IAM principals given cluster admin through EKS access entries, by a stable key. */
function adminPrincipals(ctx: DevEnvironmentContext): Array<{ key: string; arn: string }> {
  const policy = ctx.policy.environments.eks;
  const out: Array<{ key: string; arn: string }> = [];
  if (policy.teamRoleArn !== '') {
    out.push({ key: 'team', arn: policy.teamRoleArn.replaceAll('{team}', ctx.env.spec.team) });
  }
  if (ctx.policy.argocd.enabled && ctx.policy.argocd.eksRoleArn !== '') {
    out.push({ key: 'argocd', arn: ctx.policy.argocd.eksRoleArn });
  }
  const { users, groups } = ctx.env.spec.access;
  for (const arn of [...users, ...groups]) {
    if (arn.startsWith('arn:aws:iam::')) out.push({ key: shortHash(arn, 10), arn });
  }
  return out;
}

/**
 * Cluster admin for the team, spec.access principals that are IAM ARNs and Argo CD's role: an access
 * entry each, with the cluster admin policy associated.
 */
export function composeAccessEntries(stage: EksStage): void {
  const { ctx, graph, policy, tags, common } = stage;
  const { flavor } = ctx.env.identity;
  for (const principal of adminPrincipals(ctx)) {
    const entry = RESOURCE.eksAccessEntry(principal.key);
    graph.add({
      name: entry,
      what: `access entry for ${principal.arn}`,
      needs: [IN_CLUSTER],
      body: managedResource(flavor, AWS.accessEntry, {
        ...common,
        forProvider: { ...inEksCluster(stage), principalArn: principal.arn, type: 'STANDARD', tags },
      }),
    });
    graph.add({
      name: RESOURCE.eksAccessPolicy(principal.key),
      what: `cluster admin policy for ${principal.arn}`,
      needs: [
        {
          on: entry,
          for: 'the principal it grants to',
          anyDeletionOrder: 'deleting an access entry deletes its policy associations',
        },
        IN_CLUSTER,
      ],
      body: managedResource(flavor, AWS.accessPolicyAssociation, {
        ...common,
        forProvider: {
          ...inEksCluster(stage),
          principalArn: principal.arn,
          policyArn: policy.clusterAdminPolicyArn,
          accessScope: { type: 'cluster' },
        },
      }),
    });
  }
}

/**
 * A warning for each `spec.access.users` entry that is not an IAM ARN: on EKS such a user is only
 * named in a ClusterRoleBinding, which grants nothing until an identity maps to it.
 */
export function eksAccessWarnings(ctx: DevEnvironmentContext): CompositeEvent[] {
  if (ctx.env.spec.type !== 'eks') return [];
  return ctx.env.spec.access.users.flatMap((user, i) =>
    user.startsWith('arn:aws:iam::')
      ? []
      : [
          {
            severity: 'Warning' as const,
            reason: 'AccessNotMapped',
            message:
              `spec.access.users[${i}] "${user}" is not an IAM ARN: on EKS it is only bound in a ` +
              'ClusterRoleBinding, which grants nothing until an EKS access entry or an OIDC identity ' +
              'provider maps someone to that user. Name an IAM role or user ARN ' +
              '(arn:aws:iam::<account>:role/<name>) to give cluster admin through an access entry.',
          },
        ],
  );
}
