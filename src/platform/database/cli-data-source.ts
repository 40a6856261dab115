import { DataSource } from 'typeorm';

import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI: `npm run migration:run` against DATABASE_URL. */
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required for the migration CLI');
export default new DataSource({ ...dataSourceOptions(process.env.DATABASE_URL, 2), migrationsRun: false });
