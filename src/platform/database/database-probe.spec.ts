import { mock } from 'jest-mock-extended';
import { DataSource } from 'typeorm';

import { DatabaseProbe } from './database-probe';

describe('DatabaseProbe', () => {
  it('is reachable when SELECT 1 answers', async () => {
    const db = mock<DataSource>();
    db.query.mockResolvedValue([{ '?column?': 1 }]);
    await expect(new DatabaseProbe(db).reachable()).resolves.toBe(true);
    expect(db.query).toHaveBeenCalledWith('SELECT 1');
  });

  it('is unreachable (false, never a throw) when the query fails', async () => {
    const db = mock<DataSource>();
    db.query.mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    await expect(new DatabaseProbe(db).reachable()).resolves.toBe(false);
  });
});
