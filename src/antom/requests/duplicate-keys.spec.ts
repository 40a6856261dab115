import { duplicateKey, duplicateKeyMessage } from './duplicate-keys';

const found = (text: string) => {
  JSON.parse(text); // the precondition: only JSON.parse-accepted text is scanned
  const d = duplicateKey(text);
  return d && { name: d.name, message: duplicateKeyMessage(d) };
};

describe('duplicateKey: a member name repeated in one object, at any depth', () => {
  it('finds the second paymentAmount of issue 23, and names it', () => {
    const body = '{"paymentRequestId":"r1","paymentAmount":{"currency":"EUR","value":"100"},"paymentAmount":{"currency":"EUR","value":"999999"}}';
    expect(found(body)).toEqual({ name: 'paymentAmount', message: 'The request body names the field paymentAmount more than once.' });
  });

  it('finds one deep inside objects and arrays, and gives its path', () => {
    const body = '{"order":{"goods":[{"goodsName":"a"},{"goodsName":"b","goodsName":"c"}]}}';
    expect(found(body)?.message).toBe('The request body names the field order.goods[1].goodsName more than once.');
    expect(found('[1,[2,{"x":{"y":1,"y":2}}]]')?.message).toBe('The request body names the field [1][1].x.y more than once.');
  });

  it('reads names as JSON does: an escaped spelling of the same name is the same name', () => {
    expect(found('{"paymentAmount":1,"payment\\u0061mount":2}')).toBeNull(); // paymentamount: another name
    expect(found('{"paymentAmount":1,"p\\u0061ymentAmount":2}')?.name).toBe('paymentAmount');
    expect(found('{"a\\"b":1,"a\\u0022b":2}')?.name).toBe('a"b');
  });

  it('accepts the same name in different objects, in sibling array elements, and as string values', () => {
    expect(found('{"a":{"id":1},"b":{"id":2},"c":[{"id":1},{"id":2}],"d":"a","e":["a","a"],"f":{"a":"a"}}')).toBeNull();
    expect(found('{"a":1,"b":{"a":1},"c":[{"a":{"a":1}}]}')).toBeNull();
    expect(found('{"x":"{\\"a\\":1,\\"a\\":2}"}')).toBeNull(); // JSON inside a string is a string
    expect(found('{}')).toBeNull();
    expect(found('{"":1,"a":{"":2}}')).toBeNull();
    expect(found('{"":1,"":2}')?.name).toBe('');
  });

  it('never quotes a name that could be card data or markup: the message then names no field', () => {
    for (const body of [
      '{"4111111111111111":1,"4111111111111111":2}',
      '{"a<b>":1,"a<b>":2}',
      '{"x":{"4111111111111111":{"a":1,"a":2}}}',
      '{"a1234567":1,"a1234567":2}',
    ]) {
      expect(found(body)?.message).toBe('The request body names a field more than once.');
    }
  });

  it('is one pass over bodies at the size limit, whatever their shape (no quadratic or backtracking case)', () => {
    // Shapes that would hurt a naive scanner: a huge object of distinct names, deep nesting, long escape runs,
    // a long string. Each is 1 MB or more; no timing is asserted, the suite's timeout is the only bound.
    const many = '{' + Array.from({ length: 60_000 }, (_, i) => `"k${i}":0`).join(',') + '}';
    expect(found(many)).toBeNull();
    expect(found(many.slice(0, -1) + ',"k59999":1}')?.name).toBe('k59999');
    const deep = '['.repeat(100_000) + '{"a":1,"a":2}' + ']'.repeat(100_000);
    expect(duplicateKey(deep)?.name).toBe('a'); // deeper than JSON.parse's own stack allows: the scan does not recurse
    expect(found(`{"s":"${'\\\\'.repeat(500_000)}","s":1}`)?.name).toBe('s');
    expect(found(`{"s":"${'A'.repeat(1_000_000)}","t":"${'\\"'.repeat(200_000)}"}`)).toBeNull();
  });

  it('ends on text that is not JSON instead of looping or throwing', () => {
    for (const text of ['{"a', '}}]]', ',,,', '"\\', '{"a":1,', '']) expect(() => duplicateKey(text)).not.toThrow();
  });
});
