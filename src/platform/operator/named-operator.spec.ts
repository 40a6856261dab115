import { namedActor, OPERATOR_MISSING, operatorName, withoutActor } from './named-operator';

describe('named CLI operator (PCI DSS 8.2.2)', () => {
  it('--actor NAME, --actor=NAME, else GATEWAY_ACTOR; none is null', () => {
    expect(operatorName(['add', '--actor', 'alice.ops'], {})).toBe('alice.ops');
    expect(operatorName(['--actor=bob@example.com'], { GATEWAY_ACTOR: 'carol' })).toBe('bob@example.com');
    expect(operatorName([], { GATEWAY_ACTOR: 'carol' })).toBe('carol');
    expect(operatorName([], {})).toBeNull();
  });

  it('an ill-formed name is refused, not recorded', () => {
    expect(() => operatorName(['--actor', 'a b'], {})).toThrow(/is not a name/);
    expect(() => operatorName([], { GATEWAY_ACTOR: 'x\nforged line' })).toThrow(/is not a name/);
  });

  it('the recorded actor names the person first, the OS account beside it; no name, no change', () => {
    expect(namedActor('cli:', ['--actor', 'alice'], {})).toMatch(/^cli:alice \(.+@.+\)$/);
    expect(() => namedActor('cli:', [], { USER: 'root' })).toThrow(OPERATOR_MISSING);
  });

  it('withoutActor strips the option for parsers that do not know it', () => {
    expect(withoutActor(['7', '--actor', 'alice', '--x', '--actor=bob'])).toEqual(['7', '--x']);
  });
});
