import { formField } from '../scripts/templates.mjs';

/**
 * How an XRD field becomes a form field (scripts/templates.mjs), without Backstage: Backstage's form
 * fills every object with its defaults, so an object the XR may leave out must neither carry defaults
 * nor make its fields required unless it is used (found by running the real form, make screenshots).
 */
const schedule = {
  type: 'object',
  description: 'On a schedule.',
  required: ['weekdays', 'sleepAt'],
  properties: {
    weekdays: { type: 'string' },
    sleepAt: { type: 'string' },
    timeZone: { type: 'string', default: 'UTC' },
  },
};
const spec = {
  type: 'object',
  required: ['team'],
  properties: {
    team: { type: 'string' },
    size: { type: 'string', enum: ['small', 'large'], default: 'small' },
    sleep: { type: 'object', properties: { schedule } },
    items: { type: 'array', items: { ...schedule } },
  },
};

describe('formField', () => {
  const field = formField('spec', spec) as {
    required: string[];
    properties: Record<
      string,
      Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }
    >;
  };
  const sleep = field.properties.sleep!.properties!.schedule!;

  it('keeps the required fields and defaults of an object that is always there', () => {
    expect(field.required).toEqual(['team']);
    expect(field.properties.size).toMatchObject({ default: 'small', enum: ['small', 'large'] });
  });

  it('asks for the required fields of an optional object only once one of its fields is given', () => {
    expect(sleep.required).toBeUndefined();
    expect(sleep.dependencies).toEqual({
      weekdays: ['sleepAt'],
      sleepAt: ['weekdays'],
      timeZone: ['weekdays', 'sleepAt'],
    });
  });

  it('keeps no defaults under an optional object', () => {
    expect((sleep.properties as Record<string, Record<string, unknown>>).timeZone).not.toHaveProperty(
      'default',
    );
  });

  it('requires the fields of an array item, which exists only once added', () => {
    expect(field.properties.items!.items).toMatchObject({ required: ['weekdays', 'sleepAt'] });
    expect(field.properties.items!.items).not.toHaveProperty('dependencies');
  });
});
