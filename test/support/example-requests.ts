import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { REPO, compositionInput, readYaml, readYamlDocs, requestFor } from './request.js';

/** The Composition serving each composite type. */
export const COMPOSITIONS: Record<string, string> = {
  'devplatform.io/v1alpha1/DevEnvironment': 'apis/devenvironment/composition.yaml',
  'devplatform.io/v1alpha1/AppStack': 'apis/appstack/composition.yaml',
  'claims.devplatform.io/v1alpha1/XDevEnvironment': 'apis/claims/devenvironment/composition.yaml',
  'claims.devplatform.io/v1alpha1/XAppStack': 'apis/claims/appstack/composition.yaml',
};

function xrFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? xrFiles(`${dir}/${e.name}`) : e.name === 'xr.yaml' ? [`${dir}/${e.name}`] : [],
  );
}

/**
 * Every example XR in examples/, with nothing observed and at each observed stage beside it, with its
 * Composition's input and its required resources: the requests Crossplane would send over a life.
 */
export function exampleRequests(): Array<{ name: string; request: RunFunctionRequest }> {
  return xrFiles('examples').flatMap((file) => {
    const dir = dirname(file);
    const xr = readYaml(file);
    const input = compositionInput(COMPOSITIONS[`${String(xr.apiVersion)}/${String(xr.kind)}`]!);
    const required = existsSync(join(REPO, dir, 'required'))
      ? { environment: readYamlDocs(`${dir}/required/environment.yaml`) }
      : undefined;
    const stages = existsSync(join(REPO, dir, 'observed')) ? readdirSync(join(REPO, dir, 'observed')) : [];
    return [undefined, ...stages].map((stage) => ({
      name: `${dir} (${stage ?? 'nothing observed'})`,
      request: requestFor(xr, {
        input,
        required,
        observed: stage === undefined ? [] : readYamlDocs(`${dir}/observed/${stage}`),
      }),
    }));
  });
}
