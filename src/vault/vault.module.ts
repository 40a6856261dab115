import { DynamicModule, Module } from '@nestjs/common';
import { Keyring } from './crypto/keyring';
import { VaultService } from './vault.service';

@Module({})
export class VaultModule {
  static forRoot(keyring: Keyring): DynamicModule {
    return { module: VaultModule, global: true, providers: [{ provide: Keyring, useValue: keyring }, VaultService], exports: [VaultService] };
  }
}
