/** Builds one stand-in provider package (its CRDs from `crdsDir`) into `dir`; returns the package file. */
export function buildStandIn(options: {
  crdsDir: string;
  dir: string;
  name: string;
  version: string;
}): string;
