import { AntomError } from '../antom/antom-error';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { rawCardMit, tokenPayDecision, wantsCardOnFile } from './card-on-file';

const pay = (meta?: Record<string, unknown>) => ({ paymentMethod: { paymentMethodType: 'CARD', paymentMethodMetaData: meta } }) as PayRequestDto;
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (e) {
    return `${(e as AntomError).result.resultCode}`;
  }
};

describe('card on file and MIT rules, read from the pay request', () => {
  describe('wantsCardOnFile', () => {
    it.each<[Record<string, unknown> | undefined, boolean]>([
      [{ tokenize: true }, true],
      [{ tokenize: 'true' }, true],
      [{ isCardOnFile: true }, true],
      [{ isCardOnFile: 'true' }, true],
      [{ tokenize: false }, false],
      [{ tokenize: 'yes' }, false],
      [{}, false],
      [undefined, false],
      [{ tokenize: true, recurringType: 'SCHEDULED' }, false], // a MIT stores nothing
    ])('%j → %s', (meta, expected) => {
      expect(wantsCardOnFile(pay(meta))).toBe(expected);
    });
  });

  describe('rawCardMit', () => {
    it('a customer-initiated payment is none', () => {
      expect(rawCardMit(pay({ cardNo: 'x', cvv: '123' }))).toBeNull();
    });

    it('a raw-card MIT goes on file with the quoted network transaction id', () => {
      expect(rawCardMit(pay({ recurringType: 'UNSCHEDULED', networkTransactionId: 'ntid-1' }))).toEqual({
        isCardOnFile: true,
        recurringType: 'UNSCHEDULED',
        networkTransactionId: 'ntid-1',
      });
    });

    it.each<[string, Record<string, unknown>]>([
      ["a recurringType not Antom's", { recurringType: 'MONTHLY', networkTransactionId: 'n' }],
      ['a CVV (the buyer is absent)', { recurringType: 'SCHEDULED', cvv: '123', networkTransactionId: 'n' }],
      ['tokenize (no consent possible)', { recurringType: 'SCHEDULED', tokenize: true, networkTransactionId: 'n' }],
      ['no network transaction id', { recurringType: 'SCHEDULED' }],
      ['a network transaction id of 65 characters', { recurringType: 'SCHEDULED', networkTransactionId: 'n'.repeat(65) }],
      ['a network transaction id with a space', { recurringType: 'SCHEDULED', networkTransactionId: 'a b' }],
      ['a numeric network transaction id', { recurringType: 'SCHEDULED', networkTransactionId: 123 }],
    ])('refuses %s: PARAM_ILLEGAL', (_what, meta) => {
      expect(codeOf(() => rawCardMit(pay(meta)))).toBe('PARAM_ILLEGAL');
    });
  });

  describe('tokenPayDecision (what the vault is handed, never the request)', () => {
    it('a customer-initiated token pay: card on file as asked', () => {
      expect(tokenPayDecision(pay({ isCardOnFile: 'true' }))).toEqual({ kind: 'CIT', cardOnFile: true });
      expect(tokenPayDecision(pay(undefined))).toEqual({ kind: 'CIT', cardOnFile: false });
    });

    it('a MIT: its recurring type and the network transaction id it quotes (1 to 64 printable characters)', () => {
      expect(tokenPayDecision(pay({ recurringType: 'SCHEDULED' }))).toEqual({
        kind: 'MIT',
        recurringType: 'SCHEDULED',
        quotedNetworkTransactionId: undefined,
      });
      expect(tokenPayDecision(pay({ recurringType: 'UNSCHEDULED', networkTransactionId: 'x'.repeat(64) }))).toMatchObject({
        quotedNetworkTransactionId: 'x'.repeat(64),
      });
      for (const bad of ['', 'é', 'x'.repeat(65)])
        expect(codeOf(() => tokenPayDecision(pay({ recurringType: 'SCHEDULED', networkTransactionId: bad })))).toBe('PARAM_ILLEGAL');
    });

    it("a MIT with a CVV, or a recurring type not Antom's, is PARAM_ILLEGAL", () => {
      expect(codeOf(() => tokenPayDecision(pay({ recurringType: 'SCHEDULED', cvv: '123' })))).toBe('PARAM_ILLEGAL');
      expect(codeOf(() => tokenPayDecision(pay({ recurringType: 'MONTHLY' })))).toBe('PARAM_ILLEGAL');
    });
  });
});
