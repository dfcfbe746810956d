/**
 * Finds secret material in text: private keys (plain or base64), bearer tokens, passwords with a
 * value, cloud access keys, and Secrets that carry data. Public material (CA certificates, endpoint
 * names, references to Secrets by name) is not secret.
 */
const PATTERNS: Array<{ what: string; pattern: RegExp }> = [
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  // "-----BEGIN " in base64, followed by a private key header ("RSA PRIVATE", "EC PRIVATE", "PRIVATE").
  {
    what: 'a base64 private key',
    pattern: /LS0tLS1CRUdJTi(BSU0EgUFJJVkFURS|BFQyBQUklWQVRF|BQUklWQVRFIEtFWS)/,
  },
  { what: 'a password value', pattern: /"?password"?\s*[:=]\s*"?(?!\{\{)[^\s",{}][^\s",]*/i },
  {
    what: 'a bearer token',
    pattern:
      /"?(bearerToken|token|access_token|client-key-data|client-certificate-data)"?\s*:\s*"?[A-Za-z0-9._\-/+=]{16,}/,
  },
  { what: 'an AWS access key', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a GCP service account key', pattern: /"private_key_id"|"type"\s*:\s*"service_account"/ },
];

/** What secret material `text` holds, as short findings; empty when there is none. */
export function findSecretMaterial(text: string): string[] {
  const findings: string[] = [];
  for (const { what, pattern } of PATTERNS) {
    const match = pattern.exec(text);
    if (match) findings.push(`${what}: …${text.slice(Math.max(0, match.index - 40), match.index + 40)}…`);
  }
  // A Secret manifest with data or stringData copies credentials into desired state.
  if (/"kind"\s*:\s*"Secret"[\s\S]{0,400}?"(data|stringData)"\s*:\s*\{\s*"/.test(text)) {
    findings.push('a Secret with data');
  }
  return findings;
}
