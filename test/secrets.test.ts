import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './support/request.js';
import { findSecretMaterial } from './support/secrets.js';

/**
 * Secrets are referenced, never copied: no response the function gives for any example at any stage
 * (test/golden, whole responses including desired state and status) holds secret material.
 * test/render.test.ts scans the real CLI's rendered output the same way.
 */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('secret material', () => {
  it('the scanner finds what it should, and not public material', () => {
    expect(findSecretMaterial('{"password": "hunter2"}')).toHaveLength(1);
    expect(findSecretMaterial('-----BEGIN RSA PRIVATE KEY-----')).not.toEqual([]);
    expect(findSecretMaterial('key: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==')).not.toEqual([]);
    expect(findSecretMaterial('"bearerToken": "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ"')).not.toEqual([]);
    expect(findSecretMaterial('{"kind": "Secret", "data": {"password": "aHVudGVyMg=="}}')).not.toEqual([]);
    expect(findSecretMaterial('AKIAABCDEFGHIJKLMNOP')).not.toEqual([]);
    // Public: a CA certificate, references to Secrets, templated values.
    expect(findSecretMaterial('"caData": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="')).toEqual([]);
    expect(findSecretMaterial('"passwordSecretRef": {"name": "db", "key": "password"}')).toEqual([]);
    expect(findSecretMaterial('"password": "{{ .password }}"')).toEqual([]);
  });

  it.each(files(join(REPO, 'test', 'golden')).map((f) => [f.slice(REPO.length)]))('%s holds none', (file) => {
    expect(findSecretMaterial(readFileSync(join(REPO, file), 'utf8'))).toEqual([]);
  });
});
