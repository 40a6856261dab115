import { MERCHANT_API } from './bounded-work/merchant-api';
import { describeCases } from './bounded-work/run';

/* Bounded work on untrusted input (bounded-work.spec.ts says what and why): the cases of the merchant API, in their own file so Jest's workers run it beside the others. */
describe('bounded work on untrusted input', () => {
  describeCases(MERCHANT_API);
});
