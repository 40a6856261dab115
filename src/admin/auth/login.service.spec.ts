import { randomBytes } from 'node:crypto';

import * as argon2 from 'argon2';
import { mock } from 'jest-mock-extended';
import { Secret, TOTP } from 'otpauth';

import { AuditEntry, AuditService } from '../../audit/audit.service';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { anAdminUser, anAuditRow, UUID } from '../admin.fakes';
import { AdminUser, AdminUsersService } from './admin-users.service';
import { AttemptGate } from './attempt-gate';
import { LoginService } from './login.service';
import { burnVerifyTime } from './passwords';
import { RecoveryCodesService } from './recovery-codes';
import { SessionsService } from './sessions.service';

// The real verify (argon2) runs against a cheap hash made below; the timing-equaliser is watched, not run.
jest.mock('./passwords', () => ({ ...jest.requireActual('./passwords'), burnVerifyTime: jest.fn(async () => undefined) }));

const PASSWORD = randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret
const SECRET = new Secret({ size: 20 }).base32; // a fresh TOTP seed per run, never a secret
const SESSION_TOKEN = 'session-token'; // what the faked session store hands out
const NOW = Date.UTC(2026, 2, 1, 10, 0, 15);
const FROM = { ip: '192.0.2.7', userAgent: 'Mozilla/5.0' };
let passwordHash: string;

beforeAll(async () => {
  passwordHash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
});

function setup(user: AdminUser | null) {
  const users = mock<AdminUsersService>();
  const sessions = mock<SessionsService>();
  const audit = mock<AuditService>();
  const gate = mock<AttemptGate>();
  const metrics = mock<MetricsService>();
  const recovery = mock<RecoveryCodesService>();
  users.findByUsername.mockResolvedValue(user);
  sessions.create.mockResolvedValue(SESSION_TOKEN);
  gate.claim.mockResolvedValue({ attempt: 1, lockedUntil: null });
  gate.succeeded.mockResolvedValue(true);
  gate.passedFirstFactor.mockResolvedValue(true);
  const written: AuditEntry[] = [];
  audit.append.mockImplementation(async (e) => {
    written.push(e);
    return anAuditRow(String(written.length));
  });
  (burnVerifyTime as jest.Mock).mockClear();
  return { users, sessions, audit, gate, metrics, recovery, written, service: new LoginService(users, sessions, audit, gate, metrics, recovery) };
}

const alice = () => anAdminUser({ passwordHash, lastLoginAt: new Date() });

describe('LoginService', () => {
  describe('login: refusals all read "sign-in failed"; the audit log says why', () => {
    it('a name that is not a user name (here a card number) is neither looked up nor recorded', async () => {
      const t = setup(null);
      expect(await t.service.login('4111 1111 1111 1111', PASSWORD, FROM)).toEqual({ kind: 'refused' });
      expect(t.users.findByUsername).not.toHaveBeenCalled();
      expect(burnVerifyTime).toHaveBeenCalledTimes(1);
      expect(t.written).toEqual([
        {
          actorId: null,
          actor: 'admin:[invalid]',
          action: 'LOGIN',
          target: null,
          ip: '192.0.2.7',
          outcome: 'FAILURE',
          detail: { reason: 'invalid user name' },
        },
      ]);
      expect(JSON.stringify(t.written)).not.toContain('4111');
      expect(t.metrics.countSignInFailure).toHaveBeenCalledWith('invalid user name');
    });

    it('an unknown name costs a verify too, and is recorded as such', async () => {
      const t = setup(null);
      expect(await t.service.login('  Mallory ', PASSWORD, FROM)).toEqual({ kind: 'refused' });
      expect(t.users.findByUsername).toHaveBeenCalledWith('mallory');
      expect(burnVerifyTime).toHaveBeenCalledWith(PASSWORD);
      expect(t.written[0]).toMatchObject({ actor: 'admin:mallory', target: null, outcome: 'FAILURE', detail: { reason: 'unknown user' } });
      expect(t.gate.claim).not.toHaveBeenCalled();
    });

    it('a disabled account: DENIED, not counted', async () => {
      const t = setup(anAdminUser({ passwordHash, lastLoginAt: new Date(), disabled: true }));
      expect(await t.service.login('alice', PASSWORD, FROM)).toEqual({ kind: 'refused' });
      expect(burnVerifyTime).toHaveBeenCalledTimes(1);
      expect(t.gate.claim).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({ actorId: UUID.alice, target: 'alice', outcome: 'DENIED', detail: { reason: 'account disabled' } });
    });

    it("a locked account: DENIED without looking at the password, with the lock's end", async () => {
      const t = setup(anAdminUser({ passwordHash, lastLoginAt: new Date(), lockedUntil: new Date('2026-03-01T10:30:00Z') }));
      t.gate.claim.mockResolvedValue(null);
      expect(await t.service.login('alice', PASSWORD, FROM)).toEqual({ kind: 'refused' });
      expect(burnVerifyTime).toHaveBeenCalledTimes(1);
      expect(t.sessions.create).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({ outcome: 'DENIED', detail: { reason: 'account locked', lockedUntil: '2026-03-01T10:30:00.000Z' } });
      expect(t.metrics.countSignInFailure).toHaveBeenCalledWith('account locked');
    });

    it("a wrong password: FAILURE with the attempt's number; the tenth records the lock it set", async () => {
      const t = setup(alice());
      t.gate.claim
        .mockResolvedValueOnce({ attempt: 4, lockedUntil: null })
        .mockResolvedValueOnce({ attempt: 10, lockedUntil: new Date('2026-03-01T10:30:00Z') });
      expect(await t.service.login('alice', 'wrong password!', FROM)).toEqual({ kind: 'refused' });
      expect(await t.service.login('alice', 'wrong password!', FROM)).toEqual({ kind: 'refused' });
      expect(t.written.map((e) => e.detail)).toEqual([
        { reason: 'wrong password', failedAttempts: 4, attempt: 4 },
        { reason: 'wrong password', failedAttempts: 10, attempt: 10, lockedUntil: '2026-03-01T10:30:00.000Z' },
      ]);
      expect(t.gate.succeeded).not.toHaveBeenCalled();
      expect(t.sessions.create).not.toHaveBeenCalled();
      expect(burnVerifyTime).not.toHaveBeenCalled();
    });

    it('the right password while another attempt locked the account meanwhile: DENIED, no session', async () => {
      const t = setup(alice());
      t.gate.succeeded.mockResolvedValue(false);
      expect(await t.service.login('alice', PASSWORD, FROM)).toEqual({ kind: 'refused' });
      expect(t.sessions.create).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({ outcome: 'DENIED', detail: { reason: 'account locked', during: 'password check', attempt: 1 } });
    });
  });

  describe('login: accepted', () => {
    it('the right password, no second factor: an ACTIVE session, the count cleared, audited SUCCESS', async () => {
      const t = setup(alice());
      t.gate.claim.mockResolvedValue({ attempt: 3, lockedUntil: null });
      const out = await t.service.login('Alice', PASSWORD, FROM);
      expect(out).toEqual({ kind: 'ok', token: SESSION_TOKEN, user: expect.objectContaining({ id: UUID.alice }) });
      expect(t.gate.succeeded).toHaveBeenCalledWith(UUID.alice, { attempt: 3, lockedUntil: null });
      expect(t.sessions.create).toHaveBeenCalledWith(UUID.alice, 'ACTIVE', '192.0.2.7', 'Mozilla/5.0');
      expect(t.written).toEqual([
        { actorId: UUID.alice, actor: 'admin:alice', action: 'LOGIN', target: 'alice', ip: '192.0.2.7', outcome: 'SUCCESS', detail: { attempt: 3 } },
      ]);
      expect(t.metrics.countSignInFailure).not.toHaveBeenCalled();
    });

    it('with TOTP: the attempt stops counting, an MFA-stage session, audited PENDING; the count is not cleared', async () => {
      const t = setup(anAdminUser({ passwordHash, lastLoginAt: new Date(), totpSecret: SECRET }));
      const out = await t.service.login('alice', PASSWORD, FROM);
      expect(out).toMatchObject({ kind: 'totp', token: SESSION_TOKEN });
      expect(t.gate.passedFirstFactor).toHaveBeenCalledWith(UUID.alice, { attempt: 1, lockedUntil: null });
      expect(t.gate.succeeded).not.toHaveBeenCalled();
      expect(t.sessions.create).toHaveBeenCalledWith(UUID.alice, 'MFA', '192.0.2.7', 'Mozilla/5.0');
      expect(t.written[0]).toMatchObject({ outcome: 'PENDING', detail: { reason: 'password accepted, TOTP code required', attempt: 1 } });
    });

    it('8.2.6: unused for more than 90 days: DENIED and disabled before any attempt is counted, whatever the password', async () => {
      const t = setup(anAdminUser({ passwordHash, lastLoginAt: new Date(Date.now() - 91 * 24 * 3600 * 1000) }));
      expect(await t.service.login('alice', PASSWORD, FROM)).toEqual({ kind: 'refused' });
      expect(t.users.update).toHaveBeenCalledWith(UUID.alice, { disabled: true });
      expect(t.gate.claim).not.toHaveBeenCalled();
      expect(t.sessions.create).not.toHaveBeenCalled();
      expect(burnVerifyTime).toHaveBeenCalledTimes(1);
      expect(t.written[0]).toMatchObject({ outcome: 'DENIED', detail: { reason: 'inactive for 90 days: account disabled' } });
    });

    it('8.2.2: a named admin signing in retires the bootstrap `admin` account, audited; an operator or `admin` itself does not', async () => {
      const named = setup(anAdminUser({ passwordHash, lastLoginAt: new Date(), role: 'admin', username: 'ana' }));
      named.users.retireBootstrap.mockResolvedValue(true);
      expect(await named.service.login('ana', PASSWORD, FROM)).toMatchObject({ kind: 'ok' });
      expect(named.users.retireBootstrap).toHaveBeenCalledWith('admin');
      expect(named.written[1]).toMatchObject({ action: 'RETIRE_BOOTSTRAP_ADMIN', target: 'admin', actor: 'admin:ana', outcome: 'SUCCESS' });
      const bootstrap = setup(anAdminUser({ passwordHash, lastLoginAt: new Date(), role: 'admin', username: 'admin' }));
      await bootstrap.service.login('admin', PASSWORD, FROM);
      expect(bootstrap.users.retireBootstrap).not.toHaveBeenCalled();
      const operator = setup(alice());
      await operator.service.login('alice', PASSWORD, FROM);
      expect(operator.users.retireBootstrap).not.toHaveBeenCalled();
    });

    it('with TOTP, locked meanwhile: DENIED, no session', async () => {
      const t = setup(anAdminUser({ passwordHash, lastLoginAt: new Date(), totpSecret: SECRET }));
      t.gate.passedFirstFactor.mockResolvedValue(false);
      expect(await t.service.login('alice', PASSWORD, FROM)).toEqual({ kind: 'refused' });
      expect(t.sessions.create).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({ outcome: 'DENIED', detail: { reason: 'account locked', during: 'password check' } });
    });
  });

  describe('secondFactor', () => {
    const totpUser = () => anAdminUser({ passwordHash, lastLoginAt: new Date(), totpSecret: SECRET });
    const codeAt = (ms: number) =>
      new TOTP({ secret: Secret.fromBase32(SECRET), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });
    const STEP = Math.floor(NOW / 30_000);

    beforeEach(() => jest.useFakeTimers({ now: NOW }));
    afterEach(() => jest.useRealTimers());

    it('the current code: its time step is claimed once, the session activated, audited SUCCESS', async () => {
      const t = setup(totpUser());
      t.users.claimTotpStep.mockResolvedValue(true);
      expect(await t.service.secondFactor(totpUser(), 'hash', ` ${codeAt(NOW)} `, '192.0.2.7')).toBe(true);
      expect(t.users.claimTotpStep).toHaveBeenCalledWith(UUID.alice, STEP);
      expect(t.gate.succeeded).toHaveBeenCalledWith(UUID.alice, { attempt: 1, lockedUntil: null });
      expect(t.sessions.activate).toHaveBeenCalledWith('hash');
      expect(t.written).toEqual([
        {
          actorId: UUID.alice,
          actor: 'admin:alice',
          action: 'LOGIN_TOTP',
          target: 'alice',
          ip: '192.0.2.7',
          outcome: 'SUCCESS',
          detail: { attempt: 1 },
        },
      ]);
    });

    it("the previous step's code is accepted (clock drift), with that step", async () => {
      const t = setup(totpUser());
      t.users.claimTotpStep.mockResolvedValue(true);
      expect(await t.service.secondFactor(totpUser(), 'hash', codeAt(NOW - 30_000), 'ip')).toBe(true);
      expect(t.users.claimTotpStep).toHaveBeenCalledWith(UUID.alice, STEP - 1);
    });

    it('a replayed step: FAILURE counted, the session kept while not locked', async () => {
      const t = setup(totpUser());
      t.users.claimTotpStep.mockResolvedValue(false);
      t.gate.claim.mockResolvedValue({ attempt: 5, lockedUntil: null });
      expect(await t.service.secondFactor(totpUser(), 'hash', codeAt(NOW), 'ip')).toBe(false);
      expect(t.written[0]).toMatchObject({ outcome: 'FAILURE', detail: { failedAttempts: 5 } });
      expect(t.sessions.destroy).not.toHaveBeenCalled();
      expect(t.sessions.activate).not.toHaveBeenCalled();
      expect(t.metrics.countSignInFailure).toHaveBeenCalledWith('wrong TOTP code');
    });

    it('a wrong code (two minutes old) is not even claimed; the tenth wrong one ends the session', async () => {
      const t = setup(totpUser());
      t.gate.claim.mockResolvedValue({ attempt: 10, lockedUntil: new Date('2026-03-01T10:30:00Z') });
      expect(await t.service.secondFactor(totpUser(), 'hash', codeAt(NOW - 120_000), 'ip')).toBe(false);
      expect(t.users.claimTotpStep).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({ outcome: 'FAILURE', detail: { failedAttempts: 10, lockedUntil: '2026-03-01T10:30:00.000Z' } });
      expect(t.sessions.destroy).toHaveBeenCalledWith('hash');
    });

    it('a locked account: the session ends, DENIED, the code is not looked at', async () => {
      const t = setup(totpUser());
      t.gate.claim.mockResolvedValue(null);
      expect(await t.service.secondFactor(totpUser(), 'hash', codeAt(NOW), 'ip')).toBe(false);
      expect(t.sessions.destroy).toHaveBeenCalledWith('hash');
      expect(t.users.claimTotpStep).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({ outcome: 'DENIED', detail: { reason: 'account locked' } });
    });

    it('right code but locked meanwhile: the session ends, DENIED', async () => {
      const t = setup(totpUser());
      t.users.claimTotpStep.mockResolvedValue(true);
      t.gate.succeeded.mockResolvedValue(false);
      expect(await t.service.secondFactor(totpUser(), 'hash', codeAt(NOW), 'ip')).toBe(false);
      expect(t.sessions.destroy).toHaveBeenCalledWith('hash');
      expect(t.sessions.activate).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({ outcome: 'DENIED', detail: { reason: 'account locked', attempt: 1 } });
    });

    it('a recovery code stands in for the authenticator, once; the audit says how many are left', async () => {
      const t = setup(totpUser());
      t.recovery.use.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
      t.recovery.remaining.mockResolvedValue(9);
      expect(await t.service.secondFactor(totpUser(), 'hash', 'ABCD-EFGH-JKLM-NPQR', 'ip')).toBe(true);
      expect(t.recovery.use).toHaveBeenCalledWith(UUID.alice, 'ABCD-EFGH-JKLM-NPQR');
      expect(t.written[0]).toMatchObject({ outcome: 'SUCCESS', detail: { attempt: 1, method: 'recovery code', recoveryCodesLeft: 9 } });
      expect(await t.service.secondFactor(totpUser(), 'hash', 'ABCD-EFGH-JKLM-NPQR', 'ip')).toBe(false);
      expect(t.written[1].outcome).toBe('FAILURE');
      expect(t.users.claimTotpStep).not.toHaveBeenCalled();
    });

    it('no TOTP on the account: neither a code nor a recovery code passes', async () => {
      const t = setup(alice());
      expect(await t.service.secondFactor(alice(), 'hash', codeAt(NOW), 'ip')).toBe(false);
      expect(await t.service.secondFactor(alice(), 'hash', 'ABCD-EFGH-JKLM-NPQR', 'ip')).toBe(false);
      expect(t.recovery.use).not.toHaveBeenCalled();
      expect(t.users.claimTotpStep).not.toHaveBeenCalled();
    });
  });
});
