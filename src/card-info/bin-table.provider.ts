import * as fs from 'node:fs';
import * as path from 'node:path';

import { BinTable, parseBinTable } from '../card-features/bin-table';
import { GatewayConfig } from '../config/gateway-config';

/** Reads BIN_TABLE_FILE once at start; a missing or malformed file stops the start with the reason. */
export function loadBinTable(config: GatewayConfig): BinTable {
  const file = path.resolve(config.BIN_TABLE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`BIN_TABLE_FILE ${config.BIN_TABLE_FILE}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseBinTable(text, `BIN_TABLE_FILE ${config.BIN_TABLE_FILE}`);
}
