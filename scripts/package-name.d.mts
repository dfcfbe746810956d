/** Where `make xpkg` builds the packages for unless XPKG_REGISTRY says otherwise. */
export const DEFAULT_XPKG_REGISTRY: string;
/** The repository name of the Function package under its registry. */
export const FUNCTION_PACKAGE: string;
/** crossplane internal/xpkg ToDNSLabel, byte for byte. */
export function toDnsLabel(s: string): string;
/** crossplane internal/xpkg FriendlyID: the cache file and revision name of a package version. */
export function friendlyId(name: string, hash: string): string;
/** A package repository (`registry/path`, no tag or digest) split as go-containerregistry does. */
export function parseRepository(repository: string): { registry: string; path: string };
/** The name Crossplane gives a package it installs as a dependency from `repository`. */
export function dependencyPackageName(repository: string): string;
/** The name of our Function once installed from packages built for `registry`. */
export function functionName(registry?: string): string;
