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
  { name: 'connection string with a password', re: /\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?):\/\/[^:\s/@"'`]+:(?!pass@|password@|\$\{|…|\*+@)[^@\s"'`]{3,}@/ },
  { name: 'password literal', re: /\b(?:password|passwd|pwd|secret|api[_-]?key|token)\s*[:=]\s*["'`](?![\s"'`]|\$\{|<|\[REDACTED)[^"'`\n]{8,}["'`]/i },
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

function trackedFiles(root) {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
}

function scanRepository(root = path.resolve(__dirname, '..')) {
  const files = trackedFiles(root);
  const hits = [];
  let bytes = 0;
  for (const file of files) {
    const full = path.join(root, file);
    if (!fs.existsSync(full) || fs.statSync(full).isDirectory()) continue;
    const buf = fs.readFileSync(full);
    bytes += buf.length;
    if (buf.includes(0)) continue; // binary
    hits.push(...scanText(file, buf.toString('utf8')));
  }
  return { files: files.length, bytes, hits };
}

module.exports = { RULES, scanText, scanRepository };

if (require.main === module) {
  const { files, bytes, hits } = scanRepository();
  for (const h of hits) process.stdout.write(`${h.file}:${h.line}: ${h.rule} (${h.excerpt})\n`);
  process.stdout.write(`secret scan: ${files} tracked files, ${bytes} bytes, ${hits.length} findings\n`);
  process.exit(hits.length ? 1 : 0);
}
