import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../functions/server/handler.js';
import type { JsonObject } from '../functions/shared/objects.js';
import { REPO, compositionInput, readYaml, readYamlDocs, requestFor } from './support/request.js';
import { FIXED_NOW } from './support/simulate.js';

/**
 * Golden tests: the whole RunFunctionResponse (desired composite and resources, readiness, results,
 * conditions, TTL) for every example at every observed stage, and for bad specs. Any change to what
 * the function emits shows up here as a diff of test/golden/. Review it, then regenerate with
 * `UPDATE_GOLDEN=1 npm test -- golden`.
 */
interface GoldenCase {
  golden: string;
  xr: JsonObject;
  composition: string;
  observed?: JsonObject[];
  required?: Record<string, JsonObject[]>;
}

/** Every directory under examples/ with an xr.yaml; its Composition by the XR's group. */
function findExamples(dir = 'examples'): Array<{ dir: string; composition: string }> {
  return readdirSync(`${REPO}${dir}`, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return [];
    const sub = `${dir}/${entry.name}`;
    if (!existsSync(`${REPO}${sub}/xr.yaml`)) return findExamples(sub);
    const xr = readYaml(`${sub}/xr.yaml`);
    const legacy = String(xr.apiVersion).startsWith('claims.');
    const api = String(xr.kind).replace(/^X/, '').toLowerCase();
    return [{ dir: sub, composition: `apis/${legacy ? 'claims/' : ''}${api}/composition.yaml` }];
  });
}
const EXAMPLES = findExamples();

function exampleCases(): GoldenCase[] {
  return EXAMPLES.flatMap(({ dir, composition }) => {
    const xr = readYaml(`${dir}/xr.yaml`);
    const name = dir.replace(/^examples\//, '');
    const observedFiles = (existsSync(`${REPO}${dir}/observed`) ? readdirSync(`${REPO}${dir}/observed`) : [])
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    // An AppStack's DevEnvironment, as Crossplane passes it once asked (required/environment.yaml).
    const required = existsSync(`${REPO}${dir}/required/environment.yaml`)
      ? { required: { environment: readYamlDocs(`${dir}/required/environment.yaml`) } }
      : {};
    return [
      { golden: `${name}/initial`, xr, composition, ...required },
      ...observedFiles.map((f) => ({
        golden: `${name}/${f.replace(/\.yaml$/, '')}`,
        xr,
        composition,
        observed: readYamlDocs(`${dir}/observed/${f}`),
        ...required,
      })),
    ];
  });
}

function withSpec(xr: JsonObject, spec: JsonObject): JsonObject {
  return { ...xr, spec: { ...(xr.spec as JsonObject), ...spec } };
}

function badSpecCases(): GoldenCase[] {
  const composition = 'apis/devenvironment/composition.yaml';
  const vcluster = readYaml('examples/devenvironment/vcluster/xr.yaml');
  return [
    { golden: 'bad/unknown-tool', xr: withSpec(vcluster, { tools: ['argocd', 'kafka'] }), composition },
    { golden: 'bad/size', xr: withSpec(vcluster, { size: 'huge' }), composition },
    { golden: 'bad/ttl', xr: withSpec(vcluster, { ttl: 'three days' }), composition },
  ];
}

function render(c: GoldenCase): string {
  const rsp = runFunction(
    requestFor(c.xr, {
      input: compositionInput(c.composition),
      ...(c.observed ? { observed: c.observed } : {}),
      ...(c.required ? { required: c.required } : {}),
    }),
    { now: () => FIXED_NOW },
  );
  return `${JSON.stringify(RunFunctionResponse.toJSON(rsp), null, 2)}\n`;
}

describe.each([...exampleCases(), ...badSpecCases()])('golden $golden', (c) => {
  it('matches test/golden', () => {
    const path = `${REPO}test/golden/${c.golden}.json`;
    const actual = render(c);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
    }
    expect(existsSync(path)).toBe(true);
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });
});
