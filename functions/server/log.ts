/** A log line's severity, as Crossplane's log collectors read function logs. */
export type LogSeverity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/** Where log lines go: one JSON object per line. */
export type LogSink = (severity: LogSeverity, msg: string, fields?: Record<string, unknown>) => void;

/** One JSON log line on stdout (what Crossplane's log collectors expect of a function). */
export const stdoutLog: LogSink = (severity, msg, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ severity, time: new Date().toISOString(), msg, ...fields })}\n`);
};
