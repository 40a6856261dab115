import { GatewayConfig, isLoopbackHost } from '../../config/gateway-config';

/**
 * Who may read `/metrics`:
 *   token   METRICS_TOKEN is set: only `Authorization: Bearer <METRICS_TOKEN>`, wherever it is served;
 *   open    no token and the listener serving it (ADMIN_HOST with ADMIN_PORT, else HOST) is loopback: only
 *           this machine can reach it;
 *   closed  no token and that listener is reachable from other machines: not served at all (404). The
 *           metrics name merchants' traffic, error codes and backlogs; nobody on the network reads them
 *           unauthenticated (issue 23). `TLS_TERMINATED_UPSTREAM` changes nothing: a proxy in front does not
 *           authenticate the scraper.
 */
export type MetricsAccess = 'token' | 'open' | 'closed';

export function metricsAccess(config: GatewayConfig): MetricsAccess {
  if (config.METRICS_TOKEN) return 'token';
  return isLoopbackHost(metricsListenerHost(config)) ? 'open' : 'closed';
}

/** The address of the listener `/metrics` is served on (admin-listener.ts moves it to ADMIN_PORT when set). */
export function metricsListenerHost(config: GatewayConfig): string {
  return config.ADMIN_PORT === undefined ? config.HOST : (config.ADMIN_HOST ?? config.HOST);
}
