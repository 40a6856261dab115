#!/usr/bin/env node
// Scans every file git tracks for committed secrets: private keys, cloud and SaaS tokens, vault KEKs,
// connection strings and password assignments with literal values. Exit code 1 when anything is found.
// Test fixtures generate their keys at runtime, except the Antom SDK signature vectors (a reviewed exception below).
// Usage: node scripts/scan-secrets.js   (also run by test/hardening/no-secrets.e2e-spec.ts)
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const RULES = [
  { name: 'PEM private key', re: /-----BEGIN (?:RSA |EC |DSA |ENCRYPTED |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*[A-Za-z0-9+/=]{40,}/ },
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'Stripe-style live key', re: /\b(?:sk|rk)_live_[0-9A-Za-z]{16,}/ },
  { name: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: 'vault KEK value', re: /VAULT_(?:KEKS|FINGERPRINT_KEY)\s*[=:]\s*["']?\d*:?[A-Za-z0-9+/]{43}=/ },
  { name: 'bare base64 RSA key', re: /\bMII[A-Za-z0-9+/]{200,}/ },
  {
    name: 'connection string with a password',
    re: /\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?):\/\/[^:\s/@"'`]+:(?!pass@|password@|\$\{|…|\*+@)[^@\s"'`]{3,}@/,
  },
  {
    name: 'password literal',
    re: /\b(?:password|passwd|pwd|secret|api[_-]?key|token)\s*[:=]\s*["'`](?![\s"'`]|\$\{|<|\[REDACTED)[^"'`\n]{8,}["'`]/i,
  },
];

/**
 * Files that must never be tracked, whatever they hold: a database cluster (its password file, control file
 * and WAL), key and keystore files, environment files, SSH keys. Checked on the path alone, so a binary file
 * (which the text rules cannot read) is still found.
 */
const FILE_RULES = [
  {
    name: 'PostgreSQL cluster file',
    re: /(?:^|\/)(?:PG_VERSION|postmaster\.(?:pid|opts)|pg_hba\.conf|pg_ident\.conf|postgresql\.auto\.conf|pg_control)$|(?:^|\/)(?:pg_wal|pg_xact|pg_multixact|pg_tblspc)\/[^/]+$|(?:^|\/)global\/(?:\d+|pg_filenode\.map)$|(?:^|\/)base\/\d+\/\d+$/,
  },
  { name: 'password file', re: /(?:^|\/)(?:\.pgpass|pwfile|\.?pw|[^/]*password[^/]*\.txt|htpasswd)$/i },
  { name: 'key or keystore file', re: /\.(?:pem|key|p12|pfx|jks|keystore|kdbx|asc|gpg)$|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)$/i },
  { name: 'environment file', re: /(?:^|\/)\.env(?:\.(?!example$)[^/]+)?$/ },
];

/** Binary files are not source: any tracked file holding a NUL byte is a finding unless it matches here. */
const ALLOWED_BINARY = [
  // The console screenshots the docs show (PNG only, under docs/).
  /^docs\/screenshots\/[\w-]+\.png$/,
];

/**
 * Reviewed exceptions, each with its reason: a path and the rule it may trip.
 */
const ALLOWED = [
  // The embedded PostgreSQL the test suites start on localhost: throwaway, never reachable from outside.
  { file: 'test/setup/global-setup.mjs', rule: 'connection string with a password' },
  // Antom's Go SDK signature vectors: a throwaway key pair made only for them (test/fixtures/antom/README.md).
  { file: 'test/fixtures/antom/antom-signatures.json', rule: 'PEM private key' },
  { file: 'test/fixtures/antom/antom-signatures.json', rule: 'bare base64 RSA key' },
  // Fixtures of the scanner's own test (planted on purpose, built at runtime from fragments).
  { file: 'scripts/scan-secrets.js', rule: '*' },
  // The compose roles script: `PASSWORD :'owner_pw'` is a psql variable, filled from the environment at init.
  { file: 'docker/postgres-init/10-gateway-roles.sh', rule: 'password literal' },
];

function scanText(file, text) {
  const hits = [];
  for (const rule of RULES) {
    if (ALLOWED.some((a) => a.file === file && (a.rule === '*' || a.rule === rule.name))) continue;
    const m = rule.re.exec(text);
    if (m) {
      const line = text.slice(0, m.index).split('\n').length;
      hits.push({ file, line, rule: rule.name, excerpt: m[0].slice(0, 12) + '…' });
    }
  }
  return hits;
}

function scanPath(file) {
  return FILE_RULES.filter((r) => r.re.test(file) && !ALLOWED.some((a) => a.file === file && (a.rule === '*' || a.rule === r.name))).map((r) => ({
    file,
    line: 0,
    rule: r.name,
    excerpt: file.slice(-12),
  }));
}

function trackedFiles(root) {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
}

function scanRepository(root = path.resolve(__dirname, '..')) {
  const files = trackedFiles(root);
  const hits = [];
  let bytes = 0;
  for (const file of files) {
    const full = path.join(root, file);
    hits.push(...scanPath(file));
    if (!fs.existsSync(full) || fs.statSync(full).isDirectory()) continue;
    const buf = fs.readFileSync(full);
    bytes += buf.length;
    if (buf.includes(0)) {
      if (!ALLOWED_BINARY.some((re) => re.test(file))) hits.push({ file, line: 0, rule: 'binary file', excerpt: `${buf.length} bytes` });
      continue;
    }
    hits.push(...scanText(file, buf.toString('utf8')));
  }
  return { files: files.length, bytes, hits };
}

module.exports = { RULES, FILE_RULES, scanText, scanPath, scanRepository };

if (require.main === module) {
  const { files, bytes, hits } = scanRepository();
  for (const h of hits) process.stdout.write(`${h.file}:${h.line}: ${h.rule} (${h.excerpt})\n`);
  process.stdout.write(`secret scan: ${files} tracked files, ${bytes} bytes, ${hits.length} findings\n`);
  process.exit(hits.length ? 1 : 0);
}
