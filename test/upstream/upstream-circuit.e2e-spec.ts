import { AntomClient } from '../../src/upstream/antom-client';
import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

describe('upstream circuit breaker: fails fast while the acquirer is down, recovers when it is back', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ UPSTREAM_RETRIES: '0', UPSTREAM_BREAKER_MIN_CALLS: '3', UPSTREAM_BREAKER_RESET_MS: '3000' }); // long enough that a loaded machine's slow steps do not reach half-open early
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const control = (method: string, body: object = {}) =>
    fetch(`${stack.sandbox!.url}/sandbox/control/faults`, { method, body: JSON.stringify(body) });
  const gauge = async () => Number(/gateway_upstream_circuit_state (\d)/.exec(await (await fetch(`${stack.gatewayUrl}/metrics`)).text())?.[1]);
  /** gateway_upstream_requests_total for payments/pay, by outcome (S, F, U, NO_ANSWER, CIRCUIT_OPEN). */
  const payAttempts = async () => {
    const text = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    return Object.fromEntries(
      [...text.matchAll(/gateway_upstream_requests_total\{api="payments\/pay",outcome="(\w+)"\} (\d+)/g)].map((m) => [m[1], Number(m[2])]),
    );
  };
  const health = async () => (await (await fetch(`${stack.gatewayUrl}/health`)).json()) as { status: string; upstream: string };
  const ready = async () => (await fetch(`${stack.gatewayUrl}/health/ready`)).status;
  const sandboxRows = async (paymentId: string) =>
    Number(
      (
        await stack.db.query(
          'SELECT count(*) AS n FROM sandbox.payment s JOIN payment p ON p.id::text = s.payment_request_id WHERE p.payment_id = $1',
          [paymentId],
        )
      )[0].n,
    );

  it('reports calls that failed lately as degraded while the breaker is still closed, with the count (first: an empty rolling window)', async () => {
    await control('POST', { fault: 'http503', times: 1 });
    expect((await stack.merchant.post('payments/pay', s2sPay())).body.result.resultStatus).toBe('U');
    await control('DELETE');
    expect(stack.app.get(AntomClient).circuitState()).toBe('closed');
    expect(await health()).toMatchObject({
      status: 'degraded',
      upstream: 'degraded',
      acquirer: { state: 'degraded', breaker: 'closed', recentFailures: 1, reason: expect.stringMatching(/1 of \d+ acquirer calls/) },
    });
  });

  it('opens after repeated 503s, answers U at once without calling, shows in /health and /metrics, then closes', async () => {
    expect(await gauge()).toBe(0);
    await control('POST', { fault: 'http503', times: 1000 });
    for (let i = 0; i < 3; i++) {
      expect((await stack.merchant.post('payments/pay', s2sPay())).body.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    }
    expect(stack.app.get(AntomClient).circuitState()).toBe('open');
    expect(await gauge()).toBe(2);
    expect(await health()).toMatchObject({
      status: 'degraded',
      upstream: 'down',
      acquirer: { state: 'down', breaker: 'open', reason: expect.stringMatching(/circuit breaker open/) },
    });
    expect(await ready()).toBe(200); // an acquirer outage is every instance's: the load balancer keeps this one

    await control('DELETE'); // the acquirer is back, but the breaker has not looked yet
    const attemptsBefore = await payAttempts();
    const fast = await stack.merchant.post('payments/pay', s2sPay());
    expect(fast.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    // Failed fast, shown by what happened rather than by a stopwatch: no attempt upstream, one refusal by the breaker.
    expect(await payAttempts()).toEqual({ ...attemptsBefore, CIRCUIT_OPEN: (attemptsBefore.CIRCUIT_OPEN ?? 0) + 1 });
    expect(await sandboxRows(fast.body.paymentId)).toBe(0); // nothing was sent

    await new Promise((r) => setTimeout(r, 3100)); // reset timeout → half-open, one trial call
    const trial = await stack.merchant.post('payments/pay', s2sPay());
    expect(trial.body.result.resultStatus).toBe('S');
    expect(stack.app.get(AntomClient).circuitState()).toBe('closed');
    expect(await gauge()).toBe(0);
    // Closed again; the failures above stay in the 10 s window (degraded) until they age out (ok) — either, never down.
    const after = (await health()) as unknown as { upstream: string; acquirer: { breaker: string } };
    expect(after.acquirer.breaker).toBe('closed');
    expect(['up', 'degraded']).toContain(after.upstream);
  });
});
