/** Implemented by the upstream module; lets health report reachability without importing it. */
export abstract class UpstreamProbe {
  abstract reachable(): Promise<boolean>;
}
