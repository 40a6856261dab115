import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

import { REDACTED_PATHS, scrubCardNumbers, scrubDeep } from './redaction';

export interface LoggerOptions {
  level: string;
  file?: string;
  /** Tests write logs to the file only, to keep Jest's output readable. */
  stdout?: boolean;
}

/** JSON logs through pino, written asynchronously, card fields redacted from the first line of code. */
export function createLogger(opts: LoggerOptions): Logger {
  const targets: pino.DestinationStream[] = opts.stdout === false ? [] : [pino.destination({ fd: 1, sync: false })];
  if (opts.file) targets.push(pino.destination({ dest: opts.file, sync: opts.stdout === false, mkdir: true, append: true }));
  const stream =
    targets.length === 1 ? targets[0] : targets.length === 0 ? pino.destination('/dev/null') : pino.multistream(targets.map((s) => ({ stream: s })));
  return pino(
    {
      level: opts.level,
      base: { service: 'gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      // Level names ("info", "error"), not pino's numbers: what a person and a log search read.
      formatters: { level: (label) => ({ level: label }), log: (obj) => scrubDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubCardNumbers(a) : a)) as Parameters<typeof method>);
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}

/** Adapts pino to Nest's logger interface so framework messages go through the same redaction. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  // Nest's own start-up chatter goes to debug so the start banner stays readable.
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
