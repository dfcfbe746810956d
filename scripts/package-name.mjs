// The names Crossplane's package manager gives packages, so that what we ship refers to them by the
// names they will really have. Transcribed from crossplane v2.2.1 and go-containerregistry v0.20.7:
//   - a package installed as a dependency is named ToDNSLabel(ref.Context().RepositoryStr())
//     (internal/controller/pkg/resolver/reconciler.go NewPackage; the CLI's `xpkg install` and the
//     initializer use the same rule);
//   - RepositoryStr is the reference's path without its registry (pkg/name/repository.go): the first
//     path element is the registry only if it holds a '.' or a ':'; Docker Hub's one-element paths get
//     the implicit `library/`;
//   - ToDNSLabel keeps [a-z0-9], turns '.', '/', ':' and '-' into '-' except at the first, the 63rd
//     and the last byte, stops after the 63rd byte and trims '-' (internal/xpkg/name.go).
// test/package/package-name.test.ts holds these against names Crossplane's own code printed, and
// make e2e against a real install.

/** Where `make xpkg` builds the packages for unless XPKG_REGISTRY says otherwise. */
export const DEFAULT_XPKG_REGISTRY = 'xpkg.crossplane.io/devplatform';

/** The repository name of the Function package under its registry. */
export const FUNCTION_PACKAGE = 'function-devplatform';

const DOCKER_HUB = new Set(['', 'docker.io', 'index.docker.io']);
const REPOSITORY_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** crossplane internal/xpkg ToDNSLabel, byte for byte. */
export function toDnsLabel(s) {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const b = s[i];
    if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) out += b;
    if ('./:-'.includes(b) && i !== 0 && i !== 62 && i !== s.length - 1) out += '-';
    if (i === 62) break;
  }
  return out.replace(/^-+|-+$/g, '');
}

/** crossplane internal/xpkg FriendlyID: the cache file and revision name of a package version. */
export function friendlyId(name, hash) {
  return toDnsLabel(`${name.slice(0, 50)}-${hash.slice(0, 12)}`);
}

/** A package repository (`registry/path`, no tag or digest) split as go-containerregistry does. */
export function parseRepository(repository) {
  const slash = repository.indexOf('/');
  const first = slash < 0 ? '' : repository.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':'));
  const registry = hasRegistry ? first : '';
  const path = hasRegistry ? repository.slice(slash + 1) : repository;
  if (!REPOSITORY_PATH.test(path))
    throw new Error(
      `package repository "${repository}": the path "${path}" is not a valid OCI repository path ` +
        '(lowercase letters, digits, and . _ - separators between / elements)',
    );
  const implicitLibrary = DOCKER_HUB.has(registry) && !path.includes('/');
  return { registry: registry || 'index.docker.io', path: implicitLibrary ? `library/${path}` : path };
}

/** The name Crossplane gives a package it installs as a dependency from `repository`. */
export function dependencyPackageName(repository) {
  return toDnsLabel(parseRepository(repository).path);
}

/** The name of our Function once installed from packages built for `registry`. */
export function functionName(registry = DEFAULT_XPKG_REGISTRY) {
  return dependencyPackageName(`${registry}/${FUNCTION_PACKAGE}`);
}
