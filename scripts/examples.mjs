// The examples as RunFunctionRequests, for the fuzzer and the benchmarks: every examples/**/xr.yaml
// with nothing observed and at each observed/*.yaml stage beside it, with its Composition's input
// and its required/ resources (named by file: required/environment.yaml answers "environment").
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { compositions, walk, yamlDocs } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function observedByName(docs) {
  return Object.fromEntries(
    docs.map((r) => [r.metadata.annotations['crossplane.io/composition-resource-name'], r]),
  );
}

/** [{name, xr, input, observed, required}] for every example XR and observed stage. */
export function corpus() {
  const byType = compositions();
  const out = [];
  for (const file of walk(join(root, 'examples')).filter((f) => f.endsWith('/xr.yaml'))) {
    const dir = dirname(file);
    const xr = yamlDocs(file)[0];
    const input = byType.get(`${xr.apiVersion}/${xr.kind}`)?.composition.spec.pipeline[0].input;
    const required = existsSync(join(dir, 'required'))
      ? Object.fromEntries(
          readdirSync(join(dir, 'required')).map((f) => [
            basename(f, '.yaml'),
            yamlDocs(join(dir, 'required', f)),
          ]),
        )
      : {};
    const stages = existsSync(join(dir, 'observed'))
      ? readdirSync(join(dir, 'observed')).map((f) => [f, observedByName(yamlDocs(join(dir, 'observed', f)))])
      : [];
    const name = relative(join(root, 'examples'), dir);
    out.push({ name: `${name} (nothing observed)`, xr, input, observed: {}, required });
    for (const [stage, observed] of stages)
      out.push({ name: `${name} (${stage})`, xr, input, observed, required });
  }
  return out;
}

export function request(tag, { xr, input, observed = {}, required = {}, desired }) {
  return RunFunctionRequest.fromPartial({
    meta: { tag },
    observed: {
      composite: xr === undefined ? undefined : { resource: xr, connectionDetails: {}, ready: 0 },
      resources: Object.fromEntries(
        Object.entries(observed).map(([k, resource]) => [
          k,
          { resource: isObject(resource) ? resource : undefined, connectionDetails: {}, ready: 0 },
        ]),
      ),
    },
    desired: desired ?? { composite: undefined, resources: {} },
    input,
    context: undefined,
    extraResources: {},
    credentials: {},
    requiredResources: Object.fromEntries(
      Object.entries(required).map(([k, items]) => [
        k,
        {
          items: [items]
            .flat()
            .filter(isObject)
            .map((resource) => ({ resource, connectionDetails: {}, ready: 0 })),
        },
      ]),
    ),
  });
}
