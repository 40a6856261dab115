import { KeyObject } from 'node:crypto';

/** Who the gateway is at the acquirer: its client id, signing key, and the acquirer's public key. */
export interface UpstreamCredentials {
  baseUrl: string;
  clientId: string;
  privateKey: KeyObject;
  acquirerPublicKey: KeyObject;
}

export const UPSTREAM_CREDENTIALS = Symbol('UPSTREAM_CREDENTIALS');
