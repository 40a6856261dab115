import { formatResponseTime } from '../src/antom/request-time';
import { antomResult } from '../src/antom/result-codes';
import { Body, newId, requireId, SandboxContext, SandboxError, WireAmount } from './sandbox-context';
import { Db, SandboxPaymentRow } from './sandbox-store';

/*
 * Chargebacks. The dispute test card (4000000000000259) draws one for each capture: notifyDispute
 * DISPUTE_CREATED SANDBOX_DISPUTE_DELAY_SECONDS after it, with a 7-day defence window. acceptDispute
 * answers S once (then REPEAT_REQUEST) and notifies DISPUTE_ACCEPTED, then DISPUTE_JUDGED
 * ACCEPT_BY_MERCHANT; supplyDefenseDocument takes a Base64 PDF or Word file, notifies DEFENSE_SUPPLIED,
 * then DISPUTE_JUDGED ACCEPT_BY_CUSTOMER (the merchant wins). downloadDisputeEvidence returns a prefilled
 * template (PDF) or the file supplied.
 */
const DEFENSE_WINDOW_SECONDS = 7 * 86400;
const EVIDENCE_MAX_CHARS = 1_000_000;
const REASON = { code: '10.4', msg: 'Other Fraud - Card-Absent Environment' };

interface DisputeRow {
  dispute_id: string;
  client_id: string;
  payment_id: string;
  capture_id: string;
  status: 'OPEN' | 'ACCEPTED' | 'DEFENDED';
  currency: string;
  amount: string;
  notify_url: string | null;
  defense_due_at: Date;
  evidence: string | null;
  evidence_format: string | null;
  accept_response: Body | null;
  created_at: Date;
}

/** In the capture's transaction: the dispute row, and its DISPUTE_CREATED notification due after the delay. */
export async function drawDispute(ctx: SandboxContext, db: Db, p: SandboxPaymentRow, captureId: string, amount: WireAmount): Promise<void> {
  const disputeId = newId('sbxd_');
  const due = new Date(ctx.clock.now().getTime() + DEFENSE_WINDOW_SECONDS * 1000);
  const rows = await db.query(
    `INSERT INTO sandbox.dispute (dispute_id, client_id, payment_id, capture_id, status, currency, amount, notify_url, defense_due_at)
     VALUES ($1, $2, $3, $4, 'OPEN', $5, $6::bigint, $7, $8) RETURNING *`,
    [disputeId, p.client_id, p.payment_id, captureId, amount.currency, amount.value, p.notify_url, due],
  );
  await ctx.notifier.enqueueWith(
    db,
    [],
    [],
    notice(p, rows.rows[0], 'DISPUTE_CREATED', ctx.disputeDelaySeconds, {
      disputeTime: formatResponseTime(),
      disputeAmount: { currency: amount.currency, value: amount.value },
      defenseDueTime: formatResponseTime(due),
      disputeReasonCode: REASON.code,
      disputeReasonMsg: REASON.msg,
      disputeSource: 'VISA',
      disputeType: 'CHARGEBACK',
      defendable: true,
    }),
  );
}

/** An automatic capture is made with the pay itself (one statement in pay.ts): its dispute is drawn right after. */
export async function drawDisputeAfterAutomaticCapture(ctx: SandboxContext, p: Pick<SandboxPaymentRow, 'client_id' | 'payment_id'>): Promise<void> {
  await ctx.store.tx(async (db) => {
    const row = await ctx.store.findPayment(db, p.client_id, { paymentId: p.payment_id }, true);
    const c = await db.query(`SELECT capture_id, currency, amount::text AS amount FROM sandbox.capture WHERE payment_id = $1`, [p.payment_id]);
    if (row && c.rows[0]) await drawDispute(ctx, db, row, c.rows[0].capture_id, { currency: c.rows[0].currency, value: c.rows[0].amount });
  });
  ctx.notifier.kick();
}

export async function acceptDispute(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const disputeId = requireId(body, 'disputeId');
  const answer = await ctx.store.tx(async (db) => {
    const d = await lockDispute(db, clientId, disputeId);
    if (d.status !== 'OPEN') throw new SandboxError('REPEAT_REQUEST', `The dispute is already ${d.status === 'ACCEPTED' ? 'accepted' : 'defended'}.`);
    refuseOverdue(d, ctx.clock.now());
    const response = { result: antomResult('SUCCESS'), disputeId, disputeResolutionTime: formatResponseTime() };
    await db.query(`UPDATE sandbox.dispute SET status = 'ACCEPTED', accept_response = $2 WHERE dispute_id = $1`, [disputeId, response]);
    await notifyStepThenJudgement(
      ctx,
      db,
      clientId,
      d,
      ['DISPUTE_ACCEPTED', { disputeAcceptReason: 'MERCHANT_ACCEPTED', disputeAcceptTime: response.disputeResolutionTime }],
      'ACCEPT_BY_MERCHANT',
    );
    return response;
  });
  ctx.notifier.kick();
  return answer;
}

export async function supplyDefenseDocument(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const disputeId = requireId(body, 'disputeId');
  const evidence = body.disputeEvidence;
  if (typeof evidence !== 'string' || evidence.length === 0 || evidence.length > EVIDENCE_MAX_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(evidence)) {
    throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter disputeEvidence: Base64, at most 1000000 characters.');
  }
  const format = formatOf(Buffer.from(evidence, 'base64'));
  if (!format) throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter disputeEvidence: a PDF or Word document.');
  const answer = await ctx.store.tx(async (db) => {
    const d = await lockDispute(db, clientId, disputeId);
    if (d.status === 'ACCEPTED') throw new SandboxError('REPEAT_REQUEST', 'The dispute is already accepted.');
    refuseOverdue(d, ctx.clock.now());
    const response = { result: antomResult('SUCCESS'), disputeId, disputeResolutionTime: formatResponseTime() };
    await db.query(`UPDATE sandbox.dispute SET status = 'DEFENDED', evidence = $2, evidence_format = $3 WHERE dispute_id = $1`, [
      disputeId,
      evidence,
      format,
    ]);
    if (d.status === 'OPEN') await notifyStepThenJudgement(ctx, db, clientId, d, ['DEFENSE_SUPPLIED', {}], 'ACCEPT_BY_CUSTOMER');
    return response;
  });
  ctx.notifier.kick();
  return answer;
}

export async function downloadDisputeEvidence(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const disputeId = requireId(body, 'disputeId');
  const type = body.disputeEvidenceType;
  if (type !== 'DISPUTE_EVIDENCE_TEMPLATE' && type !== 'DISPUTE_EVIDENCE_FILE')
    throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter disputeEvidenceType.');
  const r = await ctx.store.pool.query(`SELECT * FROM sandbox.dispute WHERE client_id = $1 AND dispute_id = $2`, [clientId, disputeId]);
  const d: DisputeRow | undefined = r.rows[0];
  if (!d) throw new SandboxError('ORDER_NOT_EXIST', 'No dispute with this disputeId.');
  if (type === 'DISPUTE_EVIDENCE_FILE') {
    if (!d.evidence) throw new SandboxError('ORDER_NOT_EXIST', 'No defence document was supplied for this dispute.');
    return { result: antomResult('SUCCESS'), disputeEvidence: d.evidence, disputeEvidenceFormat: d.evidence_format };
  }
  return { result: antomResult('SUCCESS'), disputeEvidence: templatePdf(d).toString('base64'), disputeEvidenceFormat: 'PDF' };
}

/** The merchant's step at once, then the acquirer's judgement after the sandbox's delay: two notifyDispute, one statement. */
async function notifyStepThenJudgement(
  ctx: SandboxContext,
  db: Db,
  clientId: string,
  d: DisputeRow,
  [step, extra]: [string, Body],
  judgement: string,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a dispute is opened on a payment of its client, never deleted
  const p = (await ctx.store.findPayment(db, clientId, { paymentId: d.payment_id }))!;
  await ctx.notifier.enqueueWith(
    db,
    [],
    [],
    [notice(p, d, step, 0, extra), notice(p, d, 'DISPUTE_JUDGED', ctx.disputeDelaySeconds, judged(d, judgement))],
  );
}

function notice(
  p: Pick<SandboxPaymentRow, 'client_id' | 'payment_id' | 'payment_request_id'>,
  d: DisputeRow,
  type: string,
  delaySeconds: number,
  extra: Body,
) {
  return {
    clientId: p.client_id,
    notifyType: 'NOTIFY_DISPUTE' as const,
    url: d.notify_url,
    delaySeconds,
    body: {
      paymentRequestId: p.payment_request_id,
      disputeId: d.dispute_id,
      paymentId: p.payment_id,
      captureId: d.capture_id,
      disputeNotificationType: type,
      ...extra,
    },
  };
}

function judged(d: DisputeRow, result: string): Body {
  return {
    disputeJudgedResult: result,
    disputeJudgedTime: formatResponseTime(),
    disputeJudgedAmount: { currency: d.currency, value: result === 'ACCEPT_BY_MERCHANT' ? String(d.amount) : '0' },
  };
}

async function lockDispute(db: Db, clientId: string, disputeId: string): Promise<DisputeRow> {
  const r = await db.query(`SELECT * FROM sandbox.dispute WHERE client_id = $1 AND dispute_id = $2 FOR UPDATE`, [clientId, disputeId]);
  if (!r.rows[0]) throw new SandboxError('ORDER_NOT_EXIST', 'No dispute with this disputeId.');
  return r.rows[0];
}

function refuseOverdue(d: DisputeRow, now: Date): void {
  if (d.defense_due_at.getTime() <= now.getTime()) throw new SandboxError('TIME_EXCEEDS_LIMIT');
}

function formatOf(doc: Buffer): 'PDF' | 'WORD' | null {
  if (doc.subarray(0, 5).toString('latin1') === '%PDF-') return 'PDF';
  if (doc.length >= 4 && (doc.readUInt32LE(0) === 0x04034b50 || doc.readUInt32LE(0) === 0xe011cfd0)) return 'WORD';
  return null;
}

/** A one-page merchant letter, prefilled (ids and amount; never card data). */
function templatePdf(d: DisputeRow): Buffer {
  const text = `Merchant letter - dispute ${d.dispute_id} - payment ${d.payment_id} - ${d.currency} ${d.amount} (minor units)`;
  const content = `BT /F1 11 Tf 40 780 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
