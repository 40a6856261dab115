import { Injectable } from '@nestjs/common';

import { UpdateAmountRequestDto } from '../antom/requests/lifecycle.dto';
import { UpdateAmountAnswer } from '../antom/wire';
import { MerchantIdentity } from '../merchants/merchants.service';
import { AmountUpdateOperation } from './amount-update.operation';
import { OperationRunner } from './operation-runner';

/** Antom's payments/updateAmount as the merchant API calls it: AmountUpdateOperation run by the OperationRunner. */
@Injectable()
export class AmountUpdateService {
  constructor(
    private readonly runner: OperationRunner,
    private readonly op: AmountUpdateOperation,
  ) {}

  updateAmount(merchant: MerchantIdentity, req: UpdateAmountRequestDto): Promise<UpdateAmountAnswer> {
    return this.runner.run(this.op, merchant, req);
  }
}
