import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { createLogger } from './logger';

describe('log redaction', () => {
  it('never writes a Korean card password digest, however deep it sits', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redact-')), 'log.jsonl');
    const logger = createLogger({ level: 'info', file, stdout: false });
    logger.info({ cardPasswordDigest: '73' }, 'top');
    logger.info({ upstream: { cardPasswordDigest: '74' } }, 'one deep');
    logger.info({ request: { paymentMethod: { cardPasswordDigest: '75' } } }, 'two deep');
    logger.info({ a: { b: { c: { cardPasswordDigest: '76' } } } }, 'three deep');
    logger.flush();
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    expect(text).not.toMatch(/"cardPasswordDigest":"7\d"/);
    expect(text.match(/\[REDACTED\]/g)).toHaveLength(4);
  });
});
