// Each `npm test` starts with empty log/response captures, so the leak scan judges this run only.
const fs = require('node:fs');
const path = require('node:path');
fs.rmSync(path.resolve(__dirname, '..', process.env.TEST_DATA_DIR ?? '.test-data', 'artifacts'), { recursive: true, force: true });
