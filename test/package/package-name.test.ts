import { readFileSync } from 'node:fs';
import {
  DEFAULT_XPKG_REGISTRY,
  dependencyPackageName,
  functionName,
  parseRepository,
} from '../../scripts/package-name.mjs';
import { REPO, readYaml, readYamlDocs } from '../support/request.js';

/**
 * The name Crossplane gives a package it installs as a dependency, held against names Crossplane's
 * own code gave. The expected names below were printed by a throw-away program that called
 * crossplane v2.2.1's internal/xpkg.ToDNSLabel on go-containerregistry v0.20.7's
 * name.ParseReference(ref).Context().RepositoryStr(), exactly as the resolver's NewPackage does
 * (internal/xpkg cannot be imported from outside Crossplane's module, so the program is not kept).
 * make e2e checks the rule live: it installs our Configuration from a registry on 127.0.0.1 with a
 * port and a nested path, and Crossplane's package manager names the Function.
 */
const CROSSPLANE_NAMES: Array<[string, string]> = [
  ['xpkg.crossplane.io/devplatform/function-devplatform', 'devplatform-function-devplatform'],
  ['registry.example.com/platform/function-devplatform', 'platform-function-devplatform'],
  ['registry.example.com:5000/platform/team/function-devplatform', 'platform-team-function-devplatform'],
  ['127.0.0.1:5000/platform/team/function-devplatform', 'platform-team-function-devplatform'],
  ['127.0.0.1:5000/function-devplatform', 'function-devplatform'],
  // No '.' or ':' in the first element: Docker Hub, with `localhost` as part of the path.
  ['localhost/acme/function-devplatform', 'localhost-acme-function-devplatform'],
  ['localhost:5000/acme/function-devplatform', 'acme-function-devplatform'],
  ['docker.io/acme/function-devplatform', 'acme-function-devplatform'],
  ['docker.io/function-devplatform', 'library-function-devplatform'],
  ['acme/function-devplatform', 'acme-function-devplatform'],
  ['ghcr.io/my_org/platform.tools/function-devplatform', 'myorg-platform-tools-function-devplatform'],
  [
    'ghcr.io/a-very-long-organisation-name/with-a-nested-team-path/and-more/function-devplatform',
    'a-very-long-organisation-name-with-a-nested-team-path-and-more',
  ],
  [
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform/function-devplatform',
    'platform-function-devplatform',
  ],
  ['xpkg.crossplane.io/crossplane-contrib/provider-kubernetes', 'crossplane-contrib-provider-kubernetes'],
];

describe('the name Crossplane gives a dependency', () => {
  it.each(CROSSPLANE_NAMES)('%s is installed as %s', (repository, name) => {
    expect(dependencyPackageName(repository)).toBe(name);
  });

  it.each([
    [DEFAULT_XPKG_REGISTRY, 'devplatform-function-devplatform'],
    ['registry.example.com:5000/platform/team', 'platform-team-function-devplatform'],
    ['127.0.0.1:40123/devplatform', 'devplatform-function-devplatform'],
  ])('our Function built for registry %s is %s', (registry, name) => {
    expect(functionName(registry)).toBe(name);
  });

  it('rejects a registry path a registry would reject, naming it', () => {
    expect(() => parseRepository('registry.example.com/Platform/function-devplatform')).toThrow(
      /"Platform\/function-devplatform" is not a valid OCI repository path/,
    );
  });
});

describe('what we ship calls the function by that name', () => {
  it.each([
    'apis/devenvironment/composition.yaml',
    'apis/appstack/composition.yaml',
    'apis/claims/devenvironment/composition.yaml',
    'apis/claims/appstack/composition.yaml',
  ])('%s, for the default registry', (path) => {
    const [composition] = readYamlDocs(path) as Array<{
      spec: { pipeline: Array<{ functionRef: { name: string } }> };
    }>;
    for (const step of composition!.spec.pipeline) expect(step.functionRef.name).toBe(functionName());
  });

  it('examples/functions.yaml, which make render runs the Compositions with', () => {
    expect(readYaml('examples/functions.yaml')).toMatchObject({
      metadata: { name: functionName() },
      spec: { package: expect.stringMatching(new RegExp(`^${DEFAULT_XPKG_REGISTRY}/function-devplatform:`)) },
    });
  });

  it('both Configurations depend on the function in the default registry', () => {
    for (const file of ['crossplane.yaml', 'apis/claims/crossplane.yaml']) {
      const text = readFileSync(`${REPO}${file}`, 'utf8');
      expect(text).toContain(`- function: ${DEFAULT_XPKG_REGISTRY}/function-devplatform\n`);
    }
  });
});
