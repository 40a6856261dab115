import { WriteBatcher } from './write-batcher';

describe('WriteBatcher', () => {
  it('writes a lone item at once, and coalesces items added while a write is in flight', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = new WriteBatcher<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1)
        await new Promise<void>((r) => {
          release = r;
        });
    });
    const first = batcher.add(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => batcher.add(n));
    release();
    await Promise.all([first, ...rest]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every item of a failed write, and keeps working afterwards', async () => {
    let fail = true;
    const batcher = new WriteBatcher<string>(async () => {
      if (fail) throw new Error('db down');
    });
    const a = batcher.add('a');
    const b = batcher.add('b');
    await expect(a).rejects.toThrow('db down');
    await expect(b).rejects.toThrow('db down');
    fail = false;
    await expect(batcher.add('c')).resolves.toBeUndefined();
  });

  it('splits a large backlog into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const batcher = new WriteBatcher<number>(async (items) => {
      sizes.push(items.length);
    }, 3);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.add(n)));
    expect(sizes).toEqual([3, 3, 1]);
  });
});
