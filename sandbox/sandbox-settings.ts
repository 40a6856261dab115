import 'reflect-metadata';

import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';

const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * The sandbox acquirer's own settings (`SANDBOX_*`), apart from the gateway's configuration class: the
 * gateway knows nothing of them and a production deployment never reads them. Validated like the
 * gateway's: a bad value stops start-up with one line naming it.
 */
export class SandboxSettings {
  /** Port of the bundled sandbox (0 = any free port). */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  SANDBOX_PORT = 8081;

  /** Scales the notification retry schedule (Antom's 0 s … 15 h); 0.0005 runs the whole day in ~44 s. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0.000001)
  @Max(1000)
  SANDBOX_NOTIFY_TIME_SCALE = 1;

  /** How long the `slow` fault (amount …90001) holds its answer; keep it above the gateway's UPSTREAM_TIMEOUT_MS. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(600000)
  SANDBOX_SLOW_ANSWER_MS = 30000;

  /** Base URL buyers' browsers use for the sandbox's 3DS and hosted card pages (normalUrl); default: its listening address. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SANDBOX_PUBLIC_URL?: string;

  /**
   * A certificate (PEM file) the sandbox trusts besides the public roots when it delivers notifications:
   * the gateway's TLS certificate in development (TLS_DEV_CERT), set by the gateway for its bundled sandbox.
   */
  @IsOptional()
  @IsString()
  SANDBOX_TRUST_CA_FILE?: string;

  /** Capture window of a sandbox authorization (authExpiryTime = authorization + this); Antom's is about 7 days. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(90 * 86400)
  SANDBOX_AUTH_VALIDITY_SECONDS = 7 * 86400;

  /** Seconds from a capture of the dispute test card (4000000000000259) to its notifyDispute DISPUTE_CREATED. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(86400)
  SANDBOX_DISPUTE_DELAY_SECONDS = 5;
}

export class SandboxSettingsError extends Error {}

const KEYS = [...Object.keys(new SandboxSettings()), 'SANDBOX_PUBLIC_URL', 'SANDBOX_TRUST_CA_FILE'];

export function loadSandboxSettings(env: Record<string, unknown> = process.env): SandboxSettings {
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  const settings = plainToInstance(SandboxSettings, raw, { exposeDefaultValues: true });
  const [e] = validateSync(settings);
  if (e)
    throw new SandboxSettingsError(
      `Invalid configuration: ${e.property} ${Object.values(e.constraints ?? {})[0]?.replace(new RegExp(`^${e.property}\\s+`), '') ?? 'is invalid'}`,
    );
  return settings;
}
