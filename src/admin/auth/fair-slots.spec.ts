import { FairSlots } from './fair-slots';
import { claimantKeys } from './hash-slots';

class Busy extends Error {}

/** Claims that record their order of running, hold their slot until released by the test, and report busy. */
function harness(slots: number, queue: number) {
  const fair = new FairSlots(slots, queue, 60_000, () => new Busy());
  const ran: string[] = [];
  const held = new Map<string, () => void>();
  const outcome = new Map<string, 'ran' | 'busy'>();
  const claim = (label: string, keys: string[]) =>
    fair.acquire(keys).then(
      (release) => {
        ran.push(label);
        held.set(label, release);
        outcome.set(label, 'ran');
      },
      (e) => {
        expect(e).toBeInstanceOf(Busy);
        outcome.set(label, 'busy');
      },
    );
  const settle = () => new Promise((r) => setImmediate(r));
  const finish = async (label: string) => {
    held.get(label)!();
    held.delete(label);
    await settle();
  };
  return { fair, ran, held, outcome, claim, settle, finish };
}

describe('FairSlots: a bounded queue shared fairly per address and per user name', () => {
  it("serves a claim from another address before a flood from one address, taking the place of the flood's newest", async () => {
    const h = harness(2, 4);
    const flood = Array.from({ length: 10 }, (_, i) => h.claim(`x${i}`, ['address:X', `name:unknown-${i}`]));
    await h.settle();
    // Two run, four wait, four are refused at once: a flood never pushes out its own claims.
    expect(h.fair.stats()).toMatchObject({ inFlight: 2, queued: 4, pushedOut: 0 });
    expect([...h.outcome].filter(([, o]) => o === 'busy').map(([l]) => l)).toEqual(['x6', 'x7', 'x8', 'x9']);
    const staff = h.claim('staff', ['address:Y', 'name:stella']);
    await h.settle();
    expect(h.outcome.get('x5')).toBe('busy'); // the flood's newest waiting claim made room
    expect(h.fair.stats()).toMatchObject({ queued: 4, pushedOut: 1 });
    await h.finish('x0');
    expect(h.ran).toEqual(['x0', 'x1', 'staff']); // the freed slot is the lighter claim's
    for (const l of ['x1', 'staff', 'x2', 'x3', 'x4']) await h.finish(l);
    await Promise.all([...flood, staff]);
    expect(h.ran).toEqual(['x0', 'x1', 'staff', 'x2', 'x3', 'x4']);
    expect(h.fair.stats()).toMatchObject({ inFlight: 0, queued: 0, highWater: 2 });
  });

  it('is fair per user name too: many addresses guessing one name do not shut out another name', async () => {
    const h = harness(1, 3);
    const guesses = Array.from({ length: 6 }, (_, i) => h.claim(`g${i}`, [`address:A${i}`, 'name:admin']));
    await h.settle();
    expect(h.fair.stats()).toMatchObject({ inFlight: 1, queued: 3 });
    const other = h.claim('bob', ['address:B', 'name:bob']);
    await h.settle();
    expect(h.outcome.get('g3')).toBe('busy');
    for (const l of ['g0', 'bob', 'g1', 'g2']) await h.finish(l);
    await Promise.all([...guesses, other]);
    expect(h.ran).toEqual(['g0', 'bob', 'g1', 'g2']);
  });

  it('pushes out nobody for a newcomer that would weigh as much: equals wait in arrival order or are refused', async () => {
    const h = harness(1, 2);
    const claims = ['a', 'b', 'c', 'd'].map((l) => h.claim(l, [`address:${l}`]));
    await h.settle();
    expect(h.outcome.get('d')).toBe('busy');
    for (const l of ['a', 'b', 'c']) await h.finish(l);
    await Promise.all(claims);
    expect(h.ran).toEqual(['a', 'b', 'c']);
  });

  it('refuses a claim that waited too long, and a released slot is released once', async () => {
    jest.useFakeTimers();
    try {
      const fair = new FairSlots(1, 2, 1000, () => new Busy());
      const release = await fair.acquire(['address:a']);
      const waiting = fair.acquire(['address:b']);
      jest.advanceTimersByTime(1001);
      await expect(waiting).rejects.toBeInstanceOf(Busy);
      release();
      release();
      expect(fair.stats()).toMatchObject({ inFlight: 0, queued: 0 });
    } finally {
      jest.useRealTimers();
    }
  });

  it('keys a claim by address (IPv6 per /64, IPv4-mapped as IPv4) and by name', () => {
    expect(claimantKeys({ address: '203.0.113.5', name: 'stella' })).toEqual(['address:203.0.113.5', 'name:stella']);
    expect(claimantKeys({ address: '::ffff:203.0.113.5' })).toEqual(['address:203.0.113.5']);
    expect(claimantKeys({ address: '2001:db8:0:1:aaaa::1' })).toEqual(['address:2001:db8:0:1::/64']);
    expect(claimantKeys({ address: '2001:0db8:0000:0001:ffff:ffff:ffff:ffff' })).toEqual(['address:2001:db8:0:1::/64']);
    expect(claimantKeys({ address: '2001:db8::7' })).toEqual(['address:2001:db8:0:0::/64']);
    expect(claimantKeys({})).toEqual([]);
  });
});
