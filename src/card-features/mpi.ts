import { AntomError } from '../antom/antom-error';

export interface MpiData {
  threeDSVersion?: unknown;
  eci?: unknown;
  cavv?: unknown;
  dsTransactionId?: unknown;
}

const VERSIONS = ['1.0.2', '2.1.0', '2.2.0'];
/** ECI values by scheme family: Mastercard-style 02/01/00, everyone else 05/06/07. */
const MASTERCARD_ECI = { authenticated: '02', attempted: '01', none: '00' };
const VISA_ECI = { authenticated: '05', attempted: '06', none: '07' };

export function eciTableFor(brand: string): typeof VISA_ECI {
  return brand === 'MASTERCARD' || brand === 'MAESTRO' ? MASTERCARD_ECI : VISA_ECI;
}

/**
 * The merchant's own 3DS results (MPI). Checked before forwarding: a wrong ECI for the brand or a missing
 * CAVV on an authenticated ECI would be silently downgraded by the scheme, shifting liability back.
 */
export function validateMpiData(mpi: unknown, brand: string): MpiData {
  if (typeof mpi !== 'object' || mpi === null || Array.isArray(mpi)) throw illegal('mpiData must be an object.');
  const m = mpi as MpiData;
  if (typeof m.threeDSVersion !== 'string' || !VERSIONS.includes(m.threeDSVersion))
    throw illegal(`mpiData.threeDSVersion must be one of ${VERSIONS.join(', ')}.`);
  const table = eciTableFor(brand);
  const allowed = Object.values(table);
  if (typeof m.eci !== 'string' || !allowed.includes(m.eci)) throw illegal(`mpiData.eci must be one of ${allowed.join(', ')} for ${brand}.`);
  const needsCavv = m.eci === table.authenticated || m.eci === table.attempted;
  if (m.cavv !== undefined && (typeof m.cavv !== 'string' || m.cavv.length === 0 || m.cavv.length > 64))
    throw illegal('mpiData.cavv must be a string of at most 64 characters.');
  if (needsCavv && !m.cavv) throw illegal(`mpiData.cavv is required when eci is ${m.eci} (authenticated or attempted).`);
  if (m.dsTransactionId !== undefined && (typeof m.dsTransactionId !== 'string' || m.dsTransactionId.length > 64))
    throw illegal('mpiData.dsTransactionId must be a string of at most 64 characters.');
  if (m.threeDSVersion.startsWith('2.') && needsCavv && !m.dsTransactionId)
    throw illegal('mpiData.dsTransactionId is required for 3DS 2.x authentication results.');
  return m;
}

function illegal(message: string): AntomError {
  return new AntomError('PARAM_ILLEGAL', `Illegal parameter paymentMethod.paymentMethodMetaData.${message}`);
}
