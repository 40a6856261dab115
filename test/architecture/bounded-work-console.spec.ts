import { CONSOLE } from './bounded-work/console';
import { describeCases } from './bounded-work/run';

/* Bounded work on untrusted input (bounded-work.spec.ts says what and why): the cases of the admin console, in their own file so Jest's workers run it beside the others. */
describe('bounded work on untrusted input', () => {
  describeCases(CONSOLE);
});
