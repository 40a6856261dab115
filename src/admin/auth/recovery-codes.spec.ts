import { newRecoveryCode, normalizeRecoveryCode } from './recovery-codes';

describe('recovery codes', () => {
  it('are 16 symbols of an unambiguous alphabet (80 bits) in groups of four, all different', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    expect(new Set(codes).size).toBe(200);
  });
  it('are read back however they are typed, and nothing else is taken for one', () => {
    const c = newRecoveryCode();
    expect(normalizeRecoveryCode(c.toLowerCase().replace(/-/g, ' '))).toBe(c.replace(/-/g, ''));
    for (const bad of ['123456', '', 'ABCD-EFGH-JKLM', 'ABCD-EFGH-JKLM-NPQ0', 'ABCD-EFGH-JKLM-NPQRS']) expect(normalizeRecoveryCode(bad)).toBeNull();
  });
});
