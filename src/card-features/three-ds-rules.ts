import { AntomError } from '../antom/antom-error';
import { MpiData, validateMpiData } from './mpi';

export interface ThreeDsRequest {
  is3DSAuthentication?: unknown;
  enableAuthenticationUpgrade?: unknown;
  mpiData?: unknown;
}

export interface ThreeDsContext {
  brand: string;
  korean: boolean;
  /** false for the hosted-form mode: the gateway never holds the card, so MPI data cannot apply. */
  gatewayHoldsCard: boolean;
  hasBrowserContext: boolean;
}

const truthy = (v: unknown) => v === true || v === 'true';

/**
 * 3DS request rules. Returns the metadata flags to forward: MPI results go with is3DSAuthentication=false
 * (the authentication already happened at the merchant's MPI).
 */
export function checkThreeDs(req: ThreeDsRequest, ctx: ThreeDsContext): { mpiData?: MpiData; is3DSAuthentication?: false } {
  const force = truthy(req.is3DSAuthentication);
  const upgrade = truthy(req.enableAuthenticationUpgrade);
  if (ctx.korean && (force || upgrade)) {
    throw new AntomError(
      'PARAM_ILLEGAL',
      'Korean local cards support neither 3DS nor authentication upgrade (is3DSAuthentication / enableAuthenticationUpgrade).',
    );
  }
  if (req.mpiData !== undefined) {
    if (!ctx.gatewayHoldsCard) throw new AntomError('PARAM_ILLEGAL', 'mpiData is not available when the card is collected on the hosted form.');
    if (force) throw new AntomError('PARAM_ILLEGAL', 'mpiData carries your own 3DS results: send it with is3DSAuthentication false.');
    return { mpiData: validateMpiData(req.mpiData, ctx.brand), is3DSAuthentication: false };
  }
  if ((force || upgrade) && !ctx.hasBrowserContext) {
    throw new AntomError('PARAM_ILLEGAL', 'A 3DS challenge needs env.browserInfo (or env.terminalType APP with deviceId) and env.clientIp.');
  }
  return {};
}
