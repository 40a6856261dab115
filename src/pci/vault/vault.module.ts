import { DynamicModule, Module } from '@nestjs/common';
import { Keyring } from './crypto/keyring';
import { VaultService } from './vault.service';
import { VaultSweeper } from './vault-sweeper';

@Module({})
export class VaultModule {
  static forRoot(keyring: Keyring): DynamicModule {
    return {
      module: VaultModule,
      global: true,
      providers: [{ provide: Keyring, useValue: keyring }, VaultService, VaultSweeper],
      exports: [VaultService, VaultSweeper],
    };
  }
}
