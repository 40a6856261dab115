import { Module } from '@nestjs/common';

import { StoredCredentialsService } from './stored-credentials.service';

@Module({ providers: [StoredCredentialsService], exports: [StoredCredentialsService] })
export class MitModule {}
