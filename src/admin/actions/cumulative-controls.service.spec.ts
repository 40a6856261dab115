import { mock } from 'jest-mock-extended';
import { QueryRunner } from 'typeorm';

import { AdminActionsRepository } from './admin-actions.repository';
import { CumulativeControlsService } from './cumulative-controls.service';

const ID = { root: 'u-root', bob: 'u-bob', carol: 'u-carol', dave: 'u-dave', erin: 'u-erin' };
const NAME: Record<string, string> = { [ID.root]: 'admin', [ID.bob]: 'bob', [ID.carol]: 'carol', [ID.dave]: 'dave', [ID.erin]: 'erin' };
const T = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));

/** `setter` set `account`'s password at minute `at` (CREATE_USER or a reset), as credentialGrants reads it. */
const grant = (setter: string, account: string, at: number) => ({
  account,
  account_name: NAME[account],
  setter,
  setter_name: NAME[setter],
  at: T(at),
});

function setup() {
  const repo = mock<AdminActionsRepository>();
  return { repo, service: new CumulativeControlsService(repo) };
}

describe('CumulativeControlsService', () => {
  describe('circle: the account, who last set its password, and whose password it last set', () => {
    it('alone when no grant involves it', async () => {
      const { repo, service } = setup();
      repo.circleRows.mockResolvedValue([]);
      expect(await service.circle(ID.bob)).toEqual([ID.bob]);
      expect(repo.circleRows).toHaveBeenCalledWith(ID.bob);
    });

    it('with its setter and the accounts it set, each once', async () => {
      const { repo, service } = setup();
      repo.circleRows.mockResolvedValue([
        { id: ID.bob, setter: ID.root },
        { id: ID.carol, setter: ID.bob },
        { id: ID.dave, setter: ID.bob },
        { id: ID.carol, setter: ID.bob },
      ]);
      expect((await service.circle(ID.bob)).sort()).toEqual([ID.bob, ID.carol, ID.dave, ID.root].sort());
    });
  });

  describe('approverLink: null when independent, else why not', () => {
    async function link(grants: ReturnType<typeof grant>[], requester: string, approver: string, since = T(30)) {
      const { repo, service } = setup();
      repo.credentialGrants.mockResolvedValue(grants);
      return service.approverLink(requester, approver, since);
    }
    const chain = [grant(ID.root, ID.bob, 1), grant(ID.bob, ID.carol, 2), grant(ID.root, ID.dave, 3)];

    it('the requester themself', async () => {
      expect(await link(chain, ID.bob, ID.bob)).toBe('You asked for this action yourself; a second person must approve it.');
    });

    it("whoever created the requester's account (one hop), by name", async () => {
      const why = await link(chain, ID.bob, ID.root);
      expect(why).toMatch(/^You and bob are linked: one of you created the other's account or reset its password \(you → bob\)\./);
      expect(why).not.toMatch(/No account created/);
    });

    it('anyone up the chain (two hops), with the accounts in between', async () => {
      expect(await link(chain, ID.carol, ID.root)).toMatch(/through accounts in between \(you → bob → carol:/);
    });

    it("an account created from the requester's (down the chain)", async () => {
      expect(await link(chain, ID.bob, ID.carol)).toMatch(/\(bob → you\)/);
    });

    it('the first admin as requester: only an account set up by someone else can approve, said in words', async () => {
      expect(await link(chain, ID.root, ID.carol)).toMatch(
        /No account created admin's, so every account created from it.*only an account set up by someone else can approve admin's requests/,
      );
    });

    it('siblings (same creator) are independent', async () => {
      expect(await link(chain, ID.bob, ID.dave)).toBeNull();
      expect(await link(chain, ID.carol, ID.dave)).toBeNull();
    });

    it("a reset before the request ends the old setter's knowledge; one after it does not", async () => {
      const resetBefore = [...chain, grant(ID.erin, ID.bob, 10)];
      expect(await link(resetBefore, ID.bob, ID.root, T(30))).toBeNull();
      expect(await link(resetBefore, ID.bob, ID.erin, T(30))).toMatch(/\(you → bob\)/);
      const resetAfter = [...chain, grant(ID.erin, ID.bob, 40)];
      expect(await link(resetAfter, ID.bob, ID.root, T(30))).toMatch(/\(you → bob\)/);
      expect(await link(resetAfter, ID.bob, ID.erin, T(30))).toMatch(/\(you → bob\)/);
    });
  });

  describe('amounts', () => {
    it("unapprovedOnPayment and unapprovedLastDay are the repository's sums", async () => {
      const { repo, service } = setup();
      repo.unapprovedOnPayment.mockResolvedValue(1_000n);
      repo.unapprovedLastDay.mockResolvedValue(2_000n);
      expect(await service.unapprovedOnPayment([ID.bob], 'CAPTURE', 'gwp_1')).toBe(1_000n);
      expect(repo.unapprovedOnPayment).toHaveBeenCalledWith([ID.bob], 'CAPTURE', 'gwp_1');
      expect(await service.unapprovedLastDay([ID.bob], 'REFUND', 'EUR')).toBe(2_000n);
      expect(repo.unapprovedLastDay).toHaveBeenCalledWith([ID.bob], 'REFUND', 'EUR');
    });

    it('askedLastDay: own unapproved moves plus four-eyes requests, in bigint beyond 2^53', async () => {
      const { repo, service } = setup();
      repo.unapprovedLastDay.mockResolvedValue(9_007_199_254_740_993n);
      repo.requestedLastDay.mockResolvedValue(2n);
      expect(await service.askedLastDay([ID.bob, ID.root], 'CAPTURE', 'JPY')).toBe(9_007_199_254_740_995n);
      expect(repo.requestedLastDay).toHaveBeenCalledWith([ID.bob, ID.root], 'CAPTURE', 'JPY');
    });
  });

  describe('serialized: one console money action per currency at a time', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: T(0) });
      jest.spyOn(Math, 'random').mockReturnValue(0);
    });
    afterEach(() => {
      jest.useRealTimers();
      jest.restoreAllMocks();
    });

    function locking(lockAnswers: boolean[]) {
      const { repo, service } = setup();
      const runner = mock<QueryRunner>();
      repo.connectedRunner.mockResolvedValue(runner);
      let i = 0;
      repo.tryAdvisoryLock.mockImplementation(async () => lockAnswers[Math.min(i++, lockAnswers.length - 1)]);
      return { repo, service, runner };
    }

    it("runs the action holding the currency's lock, then unlocks and gives the connection back", async () => {
      const { repo, service, runner } = locking([true]);
      const order: string[] = [];
      repo.advisoryUnlock.mockImplementation(async () => {
        order.push('unlock');
      });
      runner.release.mockImplementation(async () => {
        order.push('release');
      });
      expect(
        await service.serialized('EUR', async () => {
          order.push('action');
          return 42n;
        }),
      ).toBe(42n);
      expect(repo.tryAdvisoryLock).toHaveBeenCalledWith(runner, 'admin-money:EUR');
      expect(repo.advisoryUnlock).toHaveBeenCalledWith(runner, 'admin-money:EUR');
      expect(order).toEqual(['action', 'unlock', 'release']);
    });

    it('unlocks and releases when the action throws, and passes the error on', async () => {
      const { repo, service, runner } = locking([true]);
      await expect(
        service.serialized('EUR', async () => {
          throw new Error('upstream down');
        }),
      ).rejects.toThrow('upstream down');
      expect(repo.advisoryUnlock).toHaveBeenCalledTimes(1);
      expect(runner.release).toHaveBeenCalledTimes(1);
    });

    it('waits while another holds the lock, giving its connection back between tries', async () => {
      const { repo, service, runner } = locking([false, false, true]);
      const action = jest.fn(async () => 'done');
      const result = service.serialized('JPY', action);
      await jest.advanceTimersByTimeAsync(49);
      expect(repo.tryAdvisoryLock).toHaveBeenCalledTimes(1);
      expect(action).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(51);
      expect(await result).toBe('done');
      expect(repo.tryAdvisoryLock).toHaveBeenCalledTimes(3);
      expect(runner.release).toHaveBeenCalledTimes(3);
      expect(repo.advisoryUnlock).toHaveBeenCalledTimes(1);
    });

    it('gives up once 60 s have passed without the lock: 1,202 tries 50 ms apart, each connection released', async () => {
      const { repo, service, runner } = locking([false]);
      const action = jest.fn();
      const result = expect(service.serialized('EUR', action)).rejects.toThrow('another console money action in this currency is still running');
      await jest.advanceTimersByTimeAsync(60_000);
      expect(repo.tryAdvisoryLock).toHaveBeenCalledTimes(1_201); // at 60,000 ms: not yet past the deadline
      await jest.advanceTimersByTimeAsync(50);
      await result;
      expect(repo.tryAdvisoryLock).toHaveBeenCalledTimes(1_202);
      expect(runner.release).toHaveBeenCalledTimes(1_202);
      expect(repo.advisoryUnlock).not.toHaveBeenCalled();
      expect(action).not.toHaveBeenCalled();
    });
  });
});
