import { chainLink, chainRefusal, CredentialGrant, passwordKnowers } from './creation-chain';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const grant = (setter: string, account: string, minute: number): CredentialGrant => ({ setter, account, at: t(minute) });
const names = new Map(['a', 'b', 'c', 'd', 'x', 'root'].map((n) => [n, n]));

describe('creation chain: who may know whose password', () => {
  it('follows a chain of any length, up and down: A creates B, B creates C → C may not approve A, nor A approve C', () => {
    const knowers = passwordKnowers([grant('a', 'b', 1), grant('b', 'c', 2), grant('c', 'd', 3)], t(10));
    expect(chainLink(knowers, 'a', 'c')).toEqual(['a', 'b', 'c']);
    expect(chainLink(knowers, 'c', 'a')).toEqual(['a', 'b', 'c']);
    expect(chainLink(knowers, 'a', 'd')).toEqual(['a', 'b', 'c', 'd']);
    expect(chainLink(knowers, 'b', 'c')).toEqual(['b', 'c']);
    expect(chainLink(knowers, 'a', 'a')).toEqual(['a']);
  });

  it('does not link accounts that only share a creator', () => {
    const knowers = passwordKnowers([grant('root', 'b', 1), grant('root', 'c', 2), grant('c', 'd', 3)], t(10));
    expect(chainLink(knowers, 'b', 'c')).toBeNull();
    expect(chainLink(knowers, 'b', 'd')).toBeNull();
    expect(chainLink(knowers, 'root', 'd')).toEqual(['root', 'c', 'd']);
  });

  it("ends a setter's knowledge at the account's next grant made before the request, but not what it granted meanwhile", () => {
    // a created b; b created c; then x reset b's password (a no longer knows it), all before the request at minute 10.
    const knowers = passwordKnowers([grant('a', 'b', 1), grant('b', 'c', 2), grant('x', 'b', 3)], t(10));
    expect(chainLink(knowers, 'a', 'b')).toBeNull();
    expect(chainLink(knowers, 'a', 'c')).toEqual(['a', 'b', 'c']); // a may have been b when b set c's password
    expect(chainLink(knowers, 'x', 'c')).toBeNull(); // x learned b's new password, not c's
    expect(chainLink(knowers, 'x', 'b')).toEqual(['x', 'b']);
  });

  it('keeps every link that stood at any moment since the request: a reset during the wait links, a later one does not unlink', () => {
    const before = [grant('a', 'b', 1), grant('b', 'c', 2)];
    // While a request made at minute 10 waits: x resets c's password (c's chain to a ends, but it stood at minute 10).
    const knowers = passwordKnowers([...before, grant('x', 'c', 11), grant('c', 'd', 12)], t(10));
    expect(chainLink(knowers, 'a', 'c')).toEqual(['a', 'b', 'c']);
    expect(chainLink(knowers, 'x', 'd')).toEqual(['x', 'c', 'd']);
    // The requester reset someone's password while the request waited.
    expect(chainLink(passwordKnowers([grant('a', 'x', 11)], t(10)), 'a', 'x')).toEqual(['a', 'x']);
    // The same reset before the request, superseded before it too: no link.
    expect(chainLink(passwordKnowers([grant('a', 'x', 1), grant('root', 'x', 2)], t(10)), 'a', 'x')).toBeNull();
  });

  it("an account resetting its own creator's password: no self-link, both linked", () => {
    const knowers = passwordKnowers([grant('a', 'b', 1), grant('b', 'a', 2)], t(10));
    expect(knowers.get('a')!.has('a')).toBe(false);
    expect(chainLink(knowers, 'a', 'b')).not.toBeNull();
  });

  it('says why in words, naming the chain, and what it means for an account nobody created', () => {
    const direct = chainRefusal(['a', 'b'], names, 'a', 'b', false);
    expect(direct).toBe(
      "You and a are linked: one of you created the other's account or reset its password (a → you). An approver may not be in the requester's creation chain, up or down. Someone outside that chain must approve it.",
    );
    const root = chainRefusal(['root', 'b', 'c'], names, 'root', 'c', true);
    expect(root).toContain('(root → b → you: each created the next one');
    expect(root).toContain(
      "No account created root's, so every account created from it, directly or indirectly, is in that chain: only an account set up by someone else can approve root's requests.",
    );
  });
});
