import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import type { JsonObject } from '../../functions/shared/objects.js';
import { REPO, compositionInput, readYaml, readYamlDocs, requestFor } from './request.js';

/** The pipeline input of each Composition in apis/, by the `apiVersion/kind` of the XR it composes. */
function compositionInputs(): Map<string, JsonObject> {
  const byType = new Map<string, JsonObject>();
  for (const file of yamlFiles('apis')) {
    const [doc] = readYamlDocs(file);
    if (doc?.kind !== 'Composition') continue;
    const { apiVersion, kind } = (doc.spec as { compositeTypeRef: { apiVersion: string; kind: string } })
      .compositeTypeRef;
    byType.set(`${apiVersion}/${kind}`, compositionInput(file));
  }
  return byType;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(`${dir}/${e.name}`) : e.name.endsWith('.yaml') ? [`${dir}/${e.name}`] : [],
  );
}

/**
 * Every example XR in examples/, with nothing observed and at each observed stage beside it, with its
 * Composition's input and its required resources: the requests Crossplane would send over a life.
 */
export function exampleRequests(): Array<{ name: string; request: RunFunctionRequest }> {
  const inputs = compositionInputs();
  return yamlFiles('examples')
    .filter((file) => file.endsWith('/xr.yaml'))
    .flatMap((file) => {
      const dir = dirname(file);
      const xr = readYaml(file);
      const input = inputs.get(`${String(xr.apiVersion)}/${String(xr.kind)}`);
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
