/** A Kubernetes minor version, such as 1.35. */
export interface Minor {
  major: number;
  minor: number;
}

/**
 * The minor version in any way providers and charts write one: "1.35", "v1.35.0",
 * "1.35.5-gke.1163012", "1.35-eks-3". Undefined for anything else.
 */
export function minorOf(version: string | undefined): Minor | undefined {
  const match = /^v?(\d+)\.(\d+)(?:[.-].*)?$/.exec(version ?? '');
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function formatMinor(version: Minor): string {
  return `${version.major}.${version.minor}`;
}

/** The minor as "1.35", or undefined. */
export function minorString(version: string | undefined): string | undefined {
  const minor = minorOf(version);
  return minor === undefined ? undefined : formatMinor(minor);
}

/** How many minor versions `to` is above `from` (negative below; across majors, far apart). */
export function minorsBetween(from: Minor, to: Minor): number {
  return (to.major - from.major) * 1000 + (to.minor - from.minor);
}

/** The minor version right above. */
export function nextMinor(version: Minor): Minor {
  return { major: version.major, minor: version.minor + 1 };
}
