import { Module } from '@nestjs/common';

import { AcquirerAnswersModule } from '../acquirer-answers/acquirer-answers.module';
import { AntomNotifyController } from './antom-notify.controller';

/** The acquirer's edge: Antom's notifications in (verify, parse, hand to settlement, acknowledge). */
@Module({ imports: [AcquirerAnswersModule], controllers: [AntomNotifyController] })
export class AcquirerApiModule {}
