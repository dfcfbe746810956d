import { InputError } from '../shared/errors.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import { dnsLabel } from '../shared/names.js';
import { isObject, type JsonObject } from '../shared/objects.js';
import type { Need, ResourceGraph } from '../shared/graph/graph.js';
import type { ToolPolicy } from '../shared/policy/policy.js';
import { helmRelease } from '../shared/resources/helm.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import type { DevEnvironmentContext } from './context.js';
import { environmentLabels, RESOURCE } from './naming.js';
import { sleepsThroughKubeGreen } from './sleep.js';

/** One requested tool as the status reports it. */
export interface ToolStatus {
  name: string;
  version: string;
  ready: boolean;
}

export interface ToolTarget {
  /** The helm ProviderConfig that reaches into the environment. */
  helmProviderConfig: ProviderConfigRef;
  /** The kubernetes ProviderConfig that reaches into the environment (for a tool's manifests). */
  kubernetesProviderConfig: ProviderConfigRef;
  /** What every tool needs from the environment: its ProviderConfigs, or its namespace. */
  needs: Need[];
  /** For namespace environments: every tool goes into this namespace, and must be Namespaced. */
  namespace?: string;
}

function manifestName(manifest: JsonObject): string {
  const name = isObject(manifest.metadata) ? String(manifest.metadata.name) : '';
  return `${String(manifest.kind).toLowerCase()}-${name}`;
}

/** The composition-resource-names of a tool: its Release (if it has a chart), then its manifests. */
export function toolResourceNames(name: string, tool: ToolPolicy): string[] {
  return [
    ...(tool.chart !== undefined ? [RESOURCE.tool(name)] : []),
    ...tool.manifests.map((m) => dnsLabel(`${RESOURCE.tool(name)}-${manifestName(m)}`, 120)),
  ];
}

/** The version a tool reports: its chart's, or the first `spec.version` among its manifests. */
function toolVersion(tool: ToolPolicy): string {
  if (tool.chart !== undefined) return tool.chart.version;
  for (const manifest of tool.manifests) {
    if (isObject(manifest.spec) && typeof manifest.spec.version === 'string') return manifest.spec.version;
  }
  return '';
}

/**
 * Tools the environment gets without asking: kube-green in a vcluster environment that sleeps (or
 * ever did: once installed it stays, so switching sleep on and off does not reinstall it).
 */
export function impliedTools(ctx: DevEnvironmentContext): string[] {
  const kubeGreen = ctx.policy.lifecycle.kubeGreen.tool;
  if (ctx.env.spec.type !== 'vcluster' || kubeGreen === '') return [];
  const needed = sleepsThroughKubeGreen(ctx) || ctx.observed.has(RESOURCE.tool(kubeGreen));
  return needed ? [kubeGreen] : [];
}

/** The tools to install: those asked for, those implied, and what they depend on, dependencies first. */
function installOrder(ctx: DevEnvironmentContext): string[] {
  const wanted: string[] = [];
  const want = (name: string): void => {
    if (wanted.includes(name)) return;
    for (const dep of ctx.policy.tools[name]?.dependsOn ?? []) want(dep);
    wanted.push(name);
  };
  [...ctx.env.spec.tools, ...impliedTools(ctx)].forEach(want);
  return wanted;
}

/** What a tool needs of the tools it depends on: each of their resources. */
function dependencyNeeds(ctx: DevEnvironmentContext, tool: ToolPolicy): Need[] {
  return tool.dependsOn.flatMap((dep) => {
    const depTool = ctx.policy.tools[dep];
    if (depTool === undefined) return [];
    return toolResourceNames(dep, depTool).map((on) => ({ on, for: `tool ${dep}, which it depends on` }));
  });
}

/** In a namespace environment every tool goes into the environment's namespace, so must be Namespaced. */
function refuseClusterWideTools(ctx: DevEnvironmentContext): void {
  ctx.env.spec.tools.forEach((name, i) => {
    if (ctx.policy.tools[name]?.scope !== 'Namespaced') {
      throw new InputError(
        `spec.tools[${i}]`,
        `"${name}" installs cluster-wide resources and needs an environment with its own cluster (type vcluster, gke or eks); namespace environments take only Namespaced tools`,
      );
    }
  });
}

/** One tool: its Release, then its manifests, which need the Release (the CRDs and controllers). */
function composeTool(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  target: ToolTarget,
  name: string,
  tool: ToolPolicy,
): void {
  const flavor = ctx.env.identity.flavor;
  const labels = { ...environmentLabels(ctx), 'devplatform.io/tool': name };
  const needs = [...target.needs, ...dependencyNeeds(ctx, tool)];
  if (tool.chart !== undefined) {
    graph.add({
      name: RESOURCE.tool(name),
      what: `tool ${name}`,
      needs,
      body: helmRelease(flavor, {
        releaseName: name,
        chart: tool.chart,
        namespace: target.namespace ?? tool.namespace,
        values: tool.values,
        providerConfig: target.helmProviderConfig,
        labels,
      }),
    });
  }
  const chart: Need[] =
    tool.chart !== undefined ? [{ on: RESOURCE.tool(name), for: 'the chart its manifests are for' }] : [];
  const manifestKeys = toolResourceNames(name, tool).slice(tool.chart !== undefined ? 1 : 0);
  tool.manifests.forEach((manifest, i) => {
    const placed =
      target.namespace !== undefined && isObject(manifest.metadata)
        ? { ...manifest, metadata: { ...manifest.metadata, namespace: target.namespace } }
        : manifest;
    graph.add({
      name: manifestKeys[i] ?? '',
      what: `tool ${name} (${String(manifest.kind)} ${isObject(manifest.metadata) ? String(manifest.metadata.name) : ''})`,
      needs: [...needs, ...chart],
      body: kubernetesObject(flavor, {
        manifest: placed,
        providerConfig: target.kubernetesProviderConfig,
        labels,
        readiness: 'DeriveFromObject',
      }),
    });
  });
}

/**
 * Composes each requested tool, and the tools they depend on, once the environment can take them:
 * operators come up before what needs their CRDs, and go only after it.
 */
export function composeTools(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  target: ToolTarget,
): ToolStatus[] {
  if (target.namespace !== undefined) refuseClusterWideTools(ctx);
  const wanted = installOrder(ctx);
  for (const name of wanted) {
    const tool = ctx.policy.tools[name];
    if (tool !== undefined) composeTool(ctx, graph, target, name, tool);
  }
  return wanted.flatMap((name) => {
    const tool = ctx.policy.tools[name];
    if (tool === undefined) return [];
    return [
      {
        name,
        version: toolVersion(tool),
        ready: toolResourceNames(name, tool).every((key) => graph.isReady(key)),
      },
    ];
  });
}
