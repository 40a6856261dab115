import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Whether PostgreSQL answers: /health asks this rather than running SQL itself. */
@Injectable()
export class DatabaseProbe {
  constructor(private readonly db: DataSource) {}

  reachable(): Promise<boolean> {
    return this.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }
}
