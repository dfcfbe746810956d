// The requests make bench sends over gRPC: the largest DevEnvironment (the gke example asking for
// every tool in the policy's catalogue, played until everything is observed ready) and the largest
// AppStack (the example stage with the most composed resources).
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { corpus, request } from '../examples.mjs';

const READY = [
  { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: '2026-11-20T09:05:00Z' },
  { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2026-11-20T09:05:00Z' },
];

/** A desired resource as it would be observed once it exists and is ready. */
function observedReady(xr, name, desired) {
  const metadata = {
    name: `${xr.metadata.name}-${name}`.slice(0, 63),
    ...desired.metadata,
    annotations: { ...desired.metadata?.annotations, 'crossplane.io/composition-resource-name': name },
  };
  return { ...desired, metadata, status: { ...desired.status, conditions: READY } };
}

/**
 * Plays Crossplane and the providers from `observed`: calls the function, adds every new desired
 * resource as observed ready (keeping the example's own observed resources, which carry what the
 * providers report), until no new resource appears.
 */
export function playUntilReady(runFunction, base) {
  let observed = { ...base.observed };
  for (let round = 0; round < 20; round++) {
    const rsp = runFunction(request('bench', { ...base, observed }));
    const desired = rsp.desired?.resources ?? {};
    const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
    if (fatal) throw new Error(`${base.name}: ${fatal.message}`);
    const added = Object.keys(desired).filter((name) => !(name in observed));
    if (added.length === 0) return { ...base, observed };
    observed = { ...observed };
    for (const name of added) observed[name] = observedReady(base.xr, name, desired[name].resource);
  }
  throw new Error(`${base.name}: no steady state after 20 rounds`);
}

/** `runFunction` and `resolvePolicy` come from the built function (dist/). */
export function benchCases(runFunction, resolvePolicy) {
  const bases = corpus();
  const gke = bases.find((b) => b.name === 'devenvironment/gke (ready.yaml)');
  if (gke === undefined) throw new Error('examples/devenvironment/gke/observed/ready.yaml is missing');
  // Every tool the Composition's policy offers.
  const tools = Object.keys(resolvePolicy(gke.input).tools).sort();
  const everyTool = { ...gke, xr: { ...gke.xr, spec: { ...gke.xr.spec, tools } } };
  const devEnvironment = playUntilReady(runFunction, everyTool);
  const desiredCount = (b) => Object.keys(runFunction(request('bench', b)).desired?.resources ?? {}).length;
  const appStack = bases
    .filter((b) => b.xr.kind === 'AppStack')
    .reduce((best, b) => (desiredCount(b) > desiredCount(best) ? b : best));
  return [
    { name: `DevEnvironment gke, ${tools.length} tools, ready`, case: devEnvironment, tools },
    { name: `AppStack ${appStack.name}`, case: appStack },
  ];
}
