/** Writes ca.crt/key, tls.crt/key (127.0.0.1 and localhost) and client.crt/key into `dir`; returns `dir`. */
export function certificates(dir: string): string;
