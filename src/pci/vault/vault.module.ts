import { DynamicModule, Module } from '@nestjs/common';

import { SecretSealer } from '../../platform/secret-sealer';
import { CollectSessionRepository } from '../card-collection/collect/collect-session.repository';
import { CardRepository } from './card.repository';
import { Keyring } from './crypto/keyring';
import { VaultService } from './vault.service';
import { VaultSecretSealer } from './vault-secret-sealer';
import { VaultSweeper } from './vault-sweeper';

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
      providers: [
        { provide: Keyring, useValue: keyring },
        CardRepository,
        CollectSessionRepository,
        VaultService,
        VaultSweeper,
        { provide: SecretSealer, useClass: VaultSecretSealer },
      ],
      exports: [VaultService, VaultSweeper, CardRepository, CollectSessionRepository, SecretSealer],
    };
  }
}
