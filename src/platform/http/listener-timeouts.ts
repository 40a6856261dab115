import type { Server } from 'node:http';
import type { Server as TlsServer } from 'node:https';

/**
 * Slow-request limits for every listener, plain or TLS: a client that sends its headers or its body a byte
 * every few seconds (slowloris) is cut after `requestTimeoutMs` for the whole request and half of it for the
 * headers, instead of holding a connection (and its memory) for ever. Node answers 408 and closes. Over
 * TLS the handshake itself is bounded too (tlsServerOptions' handshakeTimeout).
 */
export function applyListenerTimeouts(server: Server | TlsServer, requestTimeoutMs: number): void {
  server.headersTimeout = Math.max(1000, Math.floor(requestTimeoutMs / 2));
  server.requestTimeout = requestTimeoutMs;
}

/**
 * How often Node looks for requests past those limits (its default is every 30 s, so a 2 s limit cut a
 * trickling client only after up to 32 s): a quarter of the request limit, between 250 ms and 30 s.
 * Given at server creation (it is a constructor option only), for plain and TLS listeners alike.
 */
export function connectionsCheckingInterval(requestTimeoutMs: number): number {
  return Math.min(30_000, Math.max(250, Math.floor(requestTimeoutMs / 4)));
}
