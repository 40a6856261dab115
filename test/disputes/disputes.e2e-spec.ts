import { randomUUID } from 'node:crypto';
import { deflateRawSync, deflateSync } from 'node:zlib';

import { loadPublicKey } from '../../src/antom/keys';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { notifyAsAcquirer } from '../support/acquirer-notify';
import { s2sPay } from '../support/fixtures';
import { goDecodeProblems } from '../support/go-decode';
import { NotifyReceiver } from '../support/notify-receiver';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

const DISPUTE_CARD = '4000000000000259';

/** A small PDF; `text` goes into a deflated content stream, where a card number must be found too. */
function pdf(text: string): string {
  const stream = deflateSync(Buffer.from(`BT /F1 11 Tf 40 780 Td (${text}) Tj ET`));
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n'),
    stream,
    Buffer.from('\nendstream\nendobj\n%%EOF\n'),
  ]).toString('base64');
}

/** A one-part .docx (its central directory included) whose document.xml is `xml`. */
function docx(xml: string): string {
  const name = Buffer.from('word/document.xml');
  const data = deflateRawSync(Buffer.from(xml));
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt16LE(name.length, 28);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + name.length, 12);
  eocd.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, eocd]).toString('base64');
}

/**
 * Disputes end to end (issue 15): the sandbox's dispute card draws a chargeback seconds after capture; the
 * gateway verifies, stores and relays it (signed, through the outbox, once), and the merchant accepts,
 * defends and downloads evidence through Antom's APIs, forwarded to the sandbox.
 */
describe('disputes', () => {
  let stack: TestStack;
  let receiver: NotifyReceiver;
  beforeAll(async () => {
    stack = await startTestStack({ WORKER_POLL_MS: '100', SANDBOX_DISPUTE_DELAY_SECONDS: '1', NOTIFY_PRIVATE_HOSTS: 'allow' });
    receiver = await new NotifyReceiver(loadPublicKey(stack.app.get(GatewaySigningKey).publicKeyPem)).start();
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), receiver?.close()]);
  });

  const one = async (sql: string, params: unknown[]) => (await stack.db.query(sql, params))[0];
  const events = async (paymentUuid: string) =>
    (await stack.db.query('SELECT type FROM payment_event WHERE payment_id = $1 ORDER BY id', [paymentUuid])).map((e: { type: string }) => e.type);

  /** A captured payment of the dispute card and the dispute it drew, as the merchant heard of it. */
  async function disputed(captureMode: 'AUTOMATIC' | 'MANUAL' = 'AUTOMATIC', value = '2500') {
    const req = s2sPay({ cardNo: DISPUTE_CARD, value, captureMode, notifyUrl: `${receiver.url}/notify` });
    const pay = await stack.merchant.post('payments/pay', req);
    expect(pay.body.result.resultStatus).toBe('S');
    if (captureMode === 'MANUAL') {
      const cap = await stack.merchant.post('payments/capture', {
        captureRequestId: randomUUID(),
        paymentId: pay.body.paymentId,
        captureAmount: pay.body.paymentAmount,
      });
      expect(cap.body.result.resultStatus).toBe('S');
    }
    const [n] = await receiver.waitFor((b) => b.paymentId === pay.body.paymentId && b.disputeNotificationType === 'DISPUTE_CREATED', 1, 15_000);
    return { pay: pay.body, req, notice: n };
  }

  it('a chargeback drawn by the sandbox is stored, on the timeline, and relayed signed with the gateway ids; accepting it is idempotent', async () => {
    const { pay, req, notice } = await disputed('MANUAL');
    expect(notice.signatureValid).toBe(true);
    const b = notice.body;
    expect(b).toEqual({
      paymentRequestId: req.paymentRequestId,
      paymentId: pay.paymentId,
      disputeId: expect.stringMatching(/^gwd_[0-9a-f]{32}$/),
      captureId: expect.stringMatching(/^gwc_/),
      disputeNotificationType: 'DISPUTE_CREATED',
      disputeTime: expect.any(String),
      disputeAmount: { currency: pay.paymentAmount.currency, value: '2500' },
      defenseDueTime: expect.any(String),
      disputeReasonCode: '10.4',
      disputeReasonMsg: expect.any(String),
      disputeSource: 'VISA',
      disputeType: 'CHARGEBACK',
      defendable: true,
    });
    expect(b.notifyType).toBeUndefined();
    expect(goDecodeProblems(b, 'notifyDispute')).toEqual([]); // Antom's Go SDK decodes it (defendable a boolean, amounts strings)
    const p = await one('SELECT id FROM payment WHERE payment_id = $1', [pay.paymentId]);
    const d = await one(
      'SELECT status, currency, amount::text AS amount, reason_code, defense_due_at, upstream_dispute_id FROM dispute WHERE dispute_id = $1',
      [b.disputeId],
    );
    expect(d).toMatchObject({ status: 'OPEN', currency: pay.paymentAmount.currency, amount: '2500', reason_code: '10.4' });
    expect(d.upstream_dispute_id).toMatch(/^sbxd_/);
    expect(await events(p.id)).toEqual(expect.arrayContaining(['DISPUTE_CREATED', 'NOTIFICATION_QUEUED']));

    const accept = await stack.merchant.post('payments/acceptDispute', { disputeId: b.disputeId });
    expect(accept.signatureValid).toBe(true);
    expect(accept.body).toEqual({
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
      disputeId: b.disputeId,
      disputeResolutionTime: expect.any(String),
    });
    // The same request again: the stored answer, nothing sent upstream a second time (the sandbox would say REPEAT_REQUEST).
    expect(goDecodeProblems(accept.body, 'acceptDispute')).toEqual([]);
    const again = await stack.merchant.post('payments/acceptDispute', { disputeId: b.disputeId });
    expect(again.body).toEqual(accept.body);
    // The sandbox's DISPUTE_ACCEPTED, then its judgement, relayed in order.
    await receiver.waitFor((x) => x.disputeId === b.disputeId && x.disputeNotificationType === 'DISPUTE_JUDGED', 1, 15_000);
    const relayed = receiver.matching((x) => x.disputeId === b.disputeId).map((n) => n.body.disputeNotificationType);
    expect(relayed).toEqual(['DISPUTE_CREATED', 'DISPUTE_ACCEPTED', 'DISPUTE_JUDGED']);
    expect(await one('SELECT status, judged_result FROM dispute WHERE dispute_id = $1', [b.disputeId])).toEqual({
      status: 'LOST',
      judged_result: 'ACCEPT_BY_MERCHANT',
    });
    expect(await events(p.id)).toEqual(expect.arrayContaining(['DISPUTE_ACCEPT_SENT', 'DISPUTE_ACCEPTED', 'DISPUTE_JUDGED']));
    // Closed: a defence now is refused, final.
    const late = await stack.merchant.post('payments/supplyDefenseDocument', { disputeId: b.disputeId, disputeEvidence: pdf('late') });
    expect(late.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_STATUS_INVALID' });
  });

  it('a defence document is checked, forwarded, and downloadable; the template too', async () => {
    const { notice } = await disputed();
    const disputeId = notice.body.disputeId;
    const doc = pdf('Proof of delivery, order 1234, signed by the buyer');
    const supplied = await stack.merchant.post('payments/supplyDefenseDocument', { disputeId, disputeEvidence: doc });
    expect(supplied.body).toEqual({ result: expect.objectContaining({ resultStatus: 'S' }), disputeId, disputeResolutionTime: expect.any(String) });
    expect(goDecodeProblems(supplied.body, 'supplyDefenseDocument')).toEqual([]);
    expect((await stack.merchant.post('payments/supplyDefenseDocument', { disputeId, disputeEvidence: doc })).body).toEqual(supplied.body);
    const row = await one('SELECT status, defense_format, defense_bytes, defense_sha256 FROM dispute WHERE dispute_id = $1', [disputeId]);
    expect(row).toMatchObject({ status: 'DEFENDED', defense_format: 'PDF', defense_bytes: Buffer.from(doc, 'base64').length });
    // Only its fingerprint is kept: the document itself is nowhere in the gateway's tables.
    expect(Number((await one(`SELECT count(*) n FROM payment_event WHERE detail::text LIKE $1`, [`%${doc.slice(0, 40)}%`])).n)).toBe(0);

    const file = await stack.merchant.post('payments/downloadDisputeEvidence', { disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
    expect(file.body).toEqual({ result: expect.objectContaining({ resultStatus: 'S' }), disputeEvidence: doc, disputeEvidenceFormat: 'PDF' });
    expect(goDecodeProblems(file.body, 'downloadDisputeEvidence')).toEqual([]);
    const template = await stack.merchant.post('payments/downloadDisputeEvidence', { disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' });
    expect(template.body.disputeEvidenceFormat).toBe('PDF');
    expect(Buffer.from(template.body.disputeEvidence, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    await receiver.waitFor((x) => x.disputeId === disputeId && x.disputeJudgedResult === 'ACCEPT_BY_CUSTOMER', 1, 15_000);
    await waitFor(async () => (await one('SELECT status FROM dispute WHERE dispute_id = $1', [disputeId])).status === 'WON');
  });

  it('a duplicate notifyDispute is acknowledged and applied once; a malformed one is refused naming the field', async () => {
    const { pay, notice } = await disputed();
    const p = await one('SELECT id FROM payment WHERE payment_id = $1', [pay.paymentId]);
    const d = await one('SELECT upstream_dispute_id FROM dispute WHERE dispute_id = $1', [notice.body.disputeId]);
    const sent = JSON.parse(
      (
        await one(`SELECT body FROM sandbox.notification WHERE notify_type = 'NOTIFY_DISPUTE' AND body::jsonb->>'disputeId' = $1`, [
          d.upstream_dispute_id,
        ])
      ).body,
    );
    const answers = await Promise.all(Array.from({ length: 5 }, () => notifyAsAcquirer(stack, sent)));
    expect(answers.every((a) => a.status === 200 && a.body.result.resultStatus === 'S')).toBe(true);
    expect((await events(p.id)).filter((t: string) => t === 'DISPUTE_CREATED')).toHaveLength(1);
    expect(
      Number((await one(`SELECT count(*) n FROM merchant_notification WHERE payment_id = $1 AND notify_type = 'NOTIFY_DISPUTE'`, [p.id])).n),
    ).toBe(1);
    expect(Number((await one('SELECT count(*) n FROM dispute WHERE payment_id = $1', [p.id])).n)).toBe(1);

    for (const [patch, field] of [
      [{ disputeAmount: { currency: 'EUR', value: '12.50' } }, 'disputeAmount'],
      [{ disputeNotificationType: 'SOMETHING' }, 'disputeNotificationType'],
      [{ defenseDueTime: 'tomorrow' }, 'defenseDueTime'],
      [{ disputeId: 'x'.repeat(65) }, 'disputeId'],
    ] as const) {
      const r = await notifyAsAcquirer(stack, {
        ...sent,
        ...patch,
        disputeNotificationType: (patch as Record<string, unknown>).disputeNotificationType ?? 'DEFENSE_DUE_ALERT',
      });
      expect(r.status).toBe(200);
      expect(r.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
      expect(r.body.result.resultMessage).toContain(field);
    }
    expect(Number((await one('SELECT count(*) n FROM dispute WHERE payment_id = $1', [p.id])).n)).toBe(1);
  });

  it('bad input answers F with a precise code, signed, never a 500', async () => {
    const { notice } = await disputed();
    const disputeId = notice.body.disputeId;
    const other = await stack.newMerchant();
    const cases: Array<[string, object, string, RegExp]> = [
      ['payments/acceptDispute', {}, 'PARAM_ILLEGAL', /disputeId/],
      ['payments/acceptDispute', { disputeId: 7 }, 'PARAM_ILLEGAL', /disputeId/],
      ['payments/acceptDispute', { disputeId: 'gwd_nope' }, 'ORDER_NOT_EXIST', /dispute/],
      ['payments/supplyDefenseDocument', { disputeId }, 'PARAM_ILLEGAL', /disputeEvidence/],
      ['payments/supplyDefenseDocument', { disputeId, disputeEvidence: 'not base64!' }, 'PARAM_ILLEGAL', /disputeEvidence: must be Base64/],
      [
        'payments/supplyDefenseDocument',
        { disputeId, disputeEvidence: Buffer.from('GIF89a hello').toString('base64') },
        'PARAM_ILLEGAL',
        /PDF or Word/,
      ],
      [
        'payments/supplyDefenseDocument',
        { disputeId, disputeEvidence: pdf('card 4242 4242 4242 4242 used') },
        'PARAM_ILLEGAL',
        /must not contain a card number/,
      ],
      ['payments/downloadDisputeEvidence', { disputeId, disputeEvidenceType: 'EVERYTHING' }, 'PARAM_ILLEGAL', /disputeEvidenceType/],
      ['payments/downloadDisputeEvidence', { disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' }, 'ORDER_NOT_EXIST', /defence document/],
    ];
    for (const [api, body, code, message] of cases) {
      const r = await stack.merchant.post(api, body);
      expect([api, r.status, r.signatureValid, r.body.result.resultStatus, r.body.result.resultCode]).toEqual([api, 200, true, 'F', code]);
      expect(r.body.result.resultMessage).toMatch(message);
      expect(r.raw).not.toContain('4242 4242');
    }
    // Another merchant cannot see or touch this dispute.
    const foreign = await other.post('payments/acceptDispute', { disputeId });
    expect(foreign.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
    expect((await one('SELECT status FROM dispute WHERE dispute_id = $1', [disputeId])).status).toBe('OPEN');
    // A document of Antom's maximum size passes the edge's body limit (that route reads up to 1,000,000 characters).
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(700_000, 0x41)]).toString('base64');
    const large = await stack.merchant.post('payments/supplyDefenseDocument', { disputeId, disputeEvidence: big });
    expect(large.body.result).toMatchObject({ resultStatus: 'S' });
    const tooLarge = await stack.merchant.post('payments/supplyDefenseDocument', { disputeId, disputeEvidence: big + 'QUFB'.repeat(20_000) });
    expect(tooLarge.status).toBe(200);
    expect(tooLarge.body.result.resultStatus).toBe('F');
  });

  it("a hostile document never stalls the gateway: checked off the event loop, only for the dispute's own merchant (security round 3)", async () => {
    const { notice } = await disputed();
    const disputeId = notice.body.disputeId;
    // The outside attack's document: ~300 bytes whose one part inflates to 120,000 "<" (it held the event loop 22–38 s).
    const bomb = docx('<'.repeat(120_000));
    expect(Buffer.from(bomb, 'base64').length).toBeLessThan(1000);
    // The most work one document can ask for: 15 MB of one-digit groups (a card candidate at every digit).
    const heaviest = docx('4 '.repeat(7_500_000));
    // Before the dispute is found to be this merchant's, no document is examined: an unknown or foreign dispute is refused as such.
    for (const [client, id] of [
      [stack.merchant, 'gwd_00000000000000000000000000000000'],
      [await stack.newMerchant(), disputeId],
    ] as const) {
      const r = await client.post('payments/supplyDefenseDocument', { disputeId: id, disputeEvidence: heaviest });
      expect(r.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
    }
    const answered = await stack.merchant.post('payments/supplyDefenseDocument', { disputeId, disputeEvidence: bomb });
    expect(answered.body.result).toMatchObject({ resultStatus: 'S' });
    // /health keeps answering while the heaviest document is checked: every answer below comes while it is in flight.
    let supplied = false;
    let healthWhileChecking = 0;
    const checking = stack.merchant.post('payments/supplyDefenseDocument', { disputeId, disputeEvidence: heaviest }).finally(() => {
      supplied = true;
    });
    while (!supplied && healthWhileChecking < 5) {
      const h = await fetch(`${stack.gatewayUrl}/health`);
      if (!supplied && h.status === 200) healthWhileChecking++;
    }
    const heavy = await checking;
    expect(heavy.status).toBe(200);
    expect(heavy.signatureValid).toBe(true);
    expect(['S', 'F']).toContain(heavy.body.result.resultStatus);
    expect(healthWhileChecking).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
