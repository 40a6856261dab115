import * as path from 'node:path';

import { DataSourceOptions } from 'typeorm';

import { InitialSchema1764115200000 } from '../../../migrations/1764115200000-InitialSchema';
import { Lifecycle1764150000000 } from '../../../migrations/1764150000000-Lifecycle';
import { CardFeatures1764160000000 } from '../../../migrations/1764160000000-CardFeatures';
import { VaultTokens1764200000000 } from '../../../migrations/1764200000000-VaultTokens';
import { StoredCredentials1764210000000 } from '../../../migrations/1764210000000-StoredCredentials';
import { AcquirerCardTokens1764220000000 } from '../../../migrations/1764220000000-AcquirerCardTokens';
import { AdminConsole1764300000000 } from '../../../migrations/1764300000000-AdminConsole';
import { UpstreamPaymentIdIndex1764410000000 } from '../../../migrations/1764410000000-UpstreamPaymentIdIndex';
import { NotificationPaymentIndex1764420000000 } from '../../../migrations/1764420000000-NotificationPaymentIndex';
import { CaptureAcquirerReference1764430000000 } from '../../../migrations/1764430000000-CaptureAcquirerReference';
import { AdminMfa1764500000000 } from '../../../migrations/1764500000000-AdminMfa';
import { AmountUpdate1765100000000 } from '../../../migrations/1765100000000-AmountUpdate';
import { Disputes1765200000000 } from '../../../migrations/1765200000000-Disputes';
import { Vaulting1765300000000 } from '../../../migrations/1765300000000-Vaulting';
import { PaymentOrderContext1765400000000 } from '../../../migrations/1765400000000-PaymentOrderContext';
import { AmountUpdateReconcile1765500000000 } from '../../../migrations/1765500000000-AmountUpdateReconcile';
import { RedriveLease1765650000000 } from '../../../migrations/1765650000000-RedriveLease';
import { CvvKey1765700000000 } from '../../../migrations/1765700000000-CvvKey';
import { AdminTotpSealed1765710000000 } from '../../../migrations/1765710000000-AdminTotpSealed';
import { AccessControlAudit1765720000000 } from '../../../migrations/1765720000000-AccessControlAudit';
import { FailingNotificationsIndex1765740000000 } from '../../../migrations/1765740000000-FailingNotificationsIndex';
import { ConsoleScaleIndexes1765800000000 } from '../../../migrations/1765800000000-ConsoleScaleIndexes';
import { HotTableForeignKeys1765900000100 } from '../../../migrations/1765900000100-HotTableForeignKeys';

/** Migrations are listed explicitly so the compiled app and the CLI run the same set, in order. */
export const MIGRATIONS = [
  InitialSchema1764115200000,
  Lifecycle1764150000000,
  CardFeatures1764160000000,
  VaultTokens1764200000000,
  StoredCredentials1764210000000,
  AcquirerCardTokens1764220000000,
  AdminConsole1764300000000,
  UpstreamPaymentIdIndex1764410000000,
  NotificationPaymentIndex1764420000000,
  CaptureAcquirerReference1764430000000,
  AdminMfa1764500000000,
  AmountUpdate1765100000000,
  Disputes1765200000000,
  Vaulting1765300000000,
  PaymentOrderContext1765400000000,
  AmountUpdateReconcile1765500000000,
  RedriveLease1765650000000,
  CvvKey1765700000000,
  AdminTotpSealed1765710000000,
  AccessControlAudit1765720000000,
  FailingNotificationsIndex1765740000000,
  ConsoleScaleIndexes1765800000000,
  HotTableForeignKeys1765900000100,
];

export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [path.join(__dirname, '../../**/*.entity.{js,ts}')],
    migrations: MIGRATIONS,
    // Migrations run before the app starts, under an advisory lock (run-migrations.ts): instances that start
    // together then never race on the schema.
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, statement_timeout: 15000 },
  };
}
