import type { Need } from '../../shared/graph/graph.js';
import { assumeRolePolicy, AWS } from '../../shared/resources/aws.js';
import { managedResource, selectComponent } from '../../shared/resources/managed.js';
import { iamRoleName } from './cluster.js';
import type { EksStage } from './stage.js';

/** One IAM role for an AWS service and the AWS managed policies attached to it. */
export interface RoleRequest {
  name: string;
  /** Suffix of the role's name in AWS. */
  suffix: string;
  /** The service that assumes the role. */
  service: string;
  /** AWS managed policies, each with the composition-resource-name of its attachment. */
  policies: Array<{ policy: string; name: string }>;
  /** What the role is for, in the reader's terms: "the control plane". */
  purpose: string;
}

/**
 * Composes the role and its policy attachments. Returns what a resource acting as the role needs:
 * the role and every attachment (AWS refuses to delete a role with policies still attached, so the
 * attachments also need the role).
 */
export function composeServiceRole(stage: EksStage, role: RoleRequest): Need[] {
  const { ctx, graph, tags, common } = stage;
  const { flavor } = ctx.env.identity;
  const roleName = iamRoleName(ctx, role.name, role.suffix);
  graph.add({
    name: role.name,
    what: `IAM role ${roleName}`,
    body: managedResource(flavor, AWS.role, {
      ...common,
      externalName: roleName,
      forProvider: { assumeRolePolicy: assumeRolePolicy(role.service), tags },
    }),
  });
  for (const { policy, name } of role.policies) {
    graph.add({
      name,
      what: `policy ${policy} of ${roleName}`,
      needs: [{ on: role.name, for: 'the role it is attached to' }],
      body: managedResource(flavor, AWS.rolePolicyAttachment, {
        ...common,
        forProvider: {
          policyArn: `arn:aws:iam::aws:policy/${policy}`,
          roleSelector: selectComponent(role.name),
        },
      }),
    });
  }
  return [
    { on: role.name, for: `the IAM role of ${role.purpose}` },
    ...role.policies.map(({ policy, name }) => ({
      on: name,
      for: `the ${policy} permissions of ${role.purpose}`,
    })),
  ];
}
