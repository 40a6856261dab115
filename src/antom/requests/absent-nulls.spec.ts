import { dropNullMembers } from './absent-nulls';

describe('dropNullMembers: a null member is an absent field (the .NET SDK writes every unset property as null)', () => {
  it('removes null members at any depth, keeps nulls inside arrays and every other value', () => {
    const body = { a: null, b: { c: null, d: 0, e: '', f: false, g: { h: null } }, goods: [null, { x: null, y: 'y' }] };
    expect(dropNullMembers(body)).toEqual({ b: { d: 0, e: '', f: false, g: {} }, goods: [null, { y: 'y' }] });
  });
});
