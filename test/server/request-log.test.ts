import { RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';
import { requestLogEntry } from '../../functions/server/request-log.js';

/** The per-request log line's severity and results, by what the response carries. */
const result = (severity: Severity, message: string) => ({ severity, message });
const rsp = (...results: Array<{ severity: Severity; message: string }>) =>
  RunFunctionResponse.fromPartial({ meta: { tag: 't' }, results });

describe('requestLogEntry', () => {
  it.each([
    { name: 'nothing to report', response: rsp(), debug: false, severity: 'INFO', results: undefined },
    {
      name: 'a Normal result, without --debug',
      response: rsp(result(Severity.SEVERITY_NORMAL, 'composed')),
      debug: false,
      severity: 'INFO',
      results: undefined,
    },
    {
      name: 'a Normal result, with --debug',
      response: rsp(result(Severity.SEVERITY_NORMAL, 'composed')),
      debug: true,
      severity: 'INFO',
      results: [{ severity: 'Normal', message: 'composed' }],
    },
    {
      name: 'a Warning',
      response: rsp(result(Severity.SEVERITY_WARNING, 'kept'), result(Severity.SEVERITY_NORMAL, 'n')),
      debug: false,
      severity: 'WARNING',
      results: [{ severity: 'Warning', message: 'kept' }],
    },
    {
      name: 'a Fatal',
      response: rsp(result(Severity.SEVERITY_WARNING, 'w'), result(Severity.SEVERITY_FATAL, 'bad')),
      debug: false,
      severity: 'ERROR',
      results: [
        { severity: 'Warning', message: 'w' },
        { severity: 'Fatal', message: 'bad' },
      ],
    },
  ])('$name', ({ response, debug, severity, results }) => {
    const entry = requestLogEntry(undefined, response, 1.234, debug);
    expect(entry.severity).toBe(severity);
    expect(entry.fields.results).toEqual(results);
    expect(entry.fields).toMatchObject({ tag: 't', composite: undefined, composed: 0, durationMs: 1.2 });
  });
});
