/** The sha256 of a CRD's canonical JSON form, from its YAML text. */
export function canonicalSha256(yamlText: string): string;
