import { DynamicModule, Module } from '@nestjs/common';
import { Keyring } from './crypto/keyring';
import { CardRepository } from './card.repository';
import { VaultService } from './vault.service';
import { VaultSweeper } from './vault-sweeper';
import { VaultSecretSealer } from './vault-secret-sealer';
import { SecretSealer } from '../../platform/secret-sealer';
import { CollectSessionRepository } from '../card-collection/collect/collect-session.repository';

/**
 * Global: the vault and its repositories. The card pages' session repository is here too: the sweeper
 * deletes expired sessions, and the card-collection module's services use the same instance.
 */
@Module({})
export class VaultModule {
  static forRoot(keyring: Keyring): DynamicModule {
    return {
      module: VaultModule,
      global: true,
      providers: [{ provide: Keyring, useValue: keyring }, CardRepository, CollectSessionRepository, VaultService, VaultSweeper, { provide: SecretSealer, useClass: VaultSecretSealer }],
      exports: [VaultService, VaultSweeper, CardRepository, CollectSessionRepository, SecretSealer],
    };
  }
}
