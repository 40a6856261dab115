import * as fs from 'node:fs';
import * as path from 'node:path';

import { Injectable } from '@nestjs/common';

import { GatewayConfig } from '../../config/gateway-config';
import { writePrivate } from '../../platform/private-file';

/**
 * The first admin's one-time password file, GATEWAY_DATA_DIR/dev/admin-initial-password.txt (0600): the only
 * file InitialAdmin touches, behind this class so its decisions are unit-tested without a disk.
 */
@Injectable()
export class InitialPasswordFile {
  constructor(private readonly config: GatewayConfig) {}

  static pathIn(dataDir: string): string {
    return path.join(dataDir, 'dev', 'admin-initial-password.txt');
  }

  get path(): string {
    return InitialPasswordFile.pathIn(this.config.dataDir);
  }

  write(content: string): void {
    writePrivate(this.path, content);
  }

  exists(): boolean {
    return fs.existsSync(this.path);
  }

  remove(): void {
    fs.rmSync(this.path, { force: true });
  }
}
