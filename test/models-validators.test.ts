import { validateComposed } from './support/models.js';

// The composer tests trust validateComposed to hold every composed resource to its upstream CRD's
// schema; the validators are attached by test/support/models.ts, not by the models themselves.
describe('validateComposed', () => {
  const database = {
    apiVersion: 'sql.gcp.m.upbound.io/v1beta1',
    kind: 'Database',
    metadata: { name: 'app', namespace: 'team-a' },
    spec: { forProvider: { instance: 'app-db', charset: 'UTF8' } },
  };

  it('accepts a resource its CRD accepts', () => {
    expect(() => validateComposed(database)).not.toThrow();
  });

  it('rejects a resource its CRD rejects, naming the field', () => {
    const wrong = { ...database, spec: { forProvider: { instance: 'app-db', charset: 8 } } };
    expect(() => validateComposed(wrong)).toThrow(/charset/);
  });

  it('rejects a kind no model was generated for', () => {
    expect(() => validateComposed({ ...database, kind: 'Table' })).toThrow(
      'no generated model for sql.gcp.m.upbound.io/v1beta1 Table',
    );
  });
});
