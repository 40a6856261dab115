import type { Server } from 'node:http';

/**
 * Slow-request limits for every listener: a client that sends its headers or its body a byte every few
 * seconds (slowloris) is cut after `requestTimeoutMs` for the whole request and half of it for the
 * headers, instead of holding a connection (and its memory) for ever. Node answers 408 and closes.
 */
export function applyListenerTimeouts(server: Server, requestTimeoutMs: number): void {
  server.headersTimeout = Math.max(1000, Math.floor(requestTimeoutMs / 2));
  server.requestTimeout = requestTimeoutMs;
}
