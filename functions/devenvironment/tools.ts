import { InputError } from '../shared/errors.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import { helmRelease } from '../shared/resources/helm.js';
import type { Gate, Plan } from '../shared/plan.js';
import type { DevEnvironmentContext } from './context.js';
import { environmentLabels, RESOURCE } from './naming.js';

/** One requested tool as the status reports it. */
export interface ToolStatus {
  name: string;
  version: string;
  ready: boolean;
}

export interface ToolTarget {
  /** The helm ProviderConfig that reaches into the environment. */
  providerConfig: ProviderConfigRef;
  /** Gate open once the environment can take tools (its ProviderConfigs exist). */
  gate: Gate;
  /** For namespace environments: every tool goes into this namespace, and must be Namespaced. */
  namespace?: string;
}

/**
 * Composes a Release per requested tool, each once the environment is ready for tools and the tools
 * it depends on are ready, so operators come up before what needs their CRDs.
 */
export function composeTools(ctx: DevEnvironmentContext, plan: Plan, target: ToolTarget): ToolStatus[] {
  const { tools } = ctx.env.spec;
  if (target.namespace !== undefined) {
    tools.forEach((name, i) => {
      if (ctx.policy.tools[name]?.scope !== 'Namespaced') {
        throw new InputError(
          `spec.tools[${i}]`,
          `"${name}" installs cluster-wide resources and needs an environment with its own cluster (type vcluster, gke or eks); namespace environments take only Namespaced tools`,
        );
      }
    });
  }
  // Dependencies install too, before what needs them, even when not asked for by name.
  const wanted: string[] = [];
  const want = (name: string): void => {
    if (wanted.includes(name)) return;
    for (const dep of ctx.policy.tools[name]?.dependsOn ?? []) want(dep);
    wanted.push(name);
  };
  tools.forEach(want);

  for (const name of wanted) {
    const tool = ctx.policy.tools[name];
    if (tool === undefined) continue;
    const depsGate = plan.gate(
      tool.dependsOn.map((dep) => ({ name: RESOURCE.tool(dep), label: `tool ${dep}` })),
    );
    const gate: Gate = {
      open: target.gate.open && depsGate.open,
      blockers: [...target.gate.blockers, ...depsGate.blockers],
    };
    plan.addWhen(gate, {
      name: RESOURCE.tool(name),
      body: helmRelease(ctx.env.identity.flavor, {
        releaseName: name,
        chart: tool.chart,
        namespace: target.namespace ?? tool.namespace,
        values: tool.values,
        providerConfig: target.providerConfig,
        labels: { ...environmentLabels(ctx), 'devplatform.io/tool': name },
      }),
    });
  }
  return wanted.map((name) => ({
    name,
    version: ctx.policy.tools[name]?.chart.version ?? '',
    ready: plan.isReady(RESOURCE.tool(name)),
  }));
}
