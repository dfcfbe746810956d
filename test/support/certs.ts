/**
 * A CA, a server certificate for 127.0.0.1 and a client certificate, as Crossplane's package manager
 * makes them: the same openssl steps make bench uses (scripts/certs.mjs).
 */
export { certificates } from '../../scripts/certs.mjs';
