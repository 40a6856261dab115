import { deflateRawSync, deflateSync } from 'node:zlib';

import { checkDefenseDocument } from './defense-document';

const MAX = 750_000;
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

function pdf(text: string): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n'),
    deflateSync(Buffer.from(text)),
    Buffer.from('\nendstream\nendobj\n%%EOF\n'),
  ]);
}

/** A minimal .docx: one deflated entry, with its central directory. */
function docx(xml: string | Buffer, entry = 'word/document.xml'): Buffer {
  const name = Buffer.from(entry);
  const data = deflateRawSync(Buffer.from(xml));
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const cdAt = local.length + name.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + name.length, 12);
  eocd.writeUInt32LE(cdAt, 16);
  return Buffer.concat([local, name, data, central, name, eocd]);
}

describe('defence documents', () => {
  it('takes a PDF or Word file, and keeps only its size, format and SHA-256', () => {
    const r = checkDefenseDocument(b64(pdf('Delivered on 2026-11-02, tracking 1Z999AA10123456784')), MAX);
    expect(r).toMatchObject({ ok: true, format: 'PDF', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(checkDefenseDocument(b64(docx('<w:t>Order 42 delivered</w:t>')), MAX)).toMatchObject({ ok: true, format: 'WORD' });
    expect(checkDefenseDocument(b64(Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(100)])), MAX)).toMatchObject({
      ok: true,
      format: 'WORD',
    });
  });

  it.each([
    ['not Base64', 'a b c d', /Base64/],
    ['unpadded Base64', 'JVBERi0', /Base64/],
    ['an image', b64('GIF89a....'), /PDF or Word/],
    ['a zip that is not Word', b64(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)])), /PDF or Word/],
    ['a PAN in the raw text', b64('%PDF-1.4 (card 4111 1111 1111 1111) Tj'), /card number/],
    ['a PAN in a deflated PDF stream', b64(pdf('BT (paid with 5555555555554444) Tj ET')), /card number/],
    ['a PAN split across Word runs', b64(docx('<w:t>4242 4242</w:t><w:t> 4242 4242</w:t>')), /card number/],
    ['a PAN in one Word run split by tags', b64(docx('<w:r><w:t>42424242</w:t></w:r><w:r><w:t>42424242</w:t></w:r>')), /card number/],
    ['a damaged .docx', b64(Buffer.concat([Buffer.from('PK\u0003\u0004word/'), Buffer.alloc(10)])), /damaged/],
  ])('refuses %s', (_what, input, why) => {
    const r = checkDefenseDocument(input, MAX);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(why);
  });

  it('refuses a document over the size limit, and a zip bomb without inflating it all', () => {
    expect(checkDefenseDocument(b64(Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(2000)])), 1000)).toEqual({
      ok: false,
      reason: 'is larger than 1000 bytes',
    });
    const bomb = docx(`<w:t>${'0'.repeat(40 * 1024 * 1024)}</w:t>`);
    expect(bomb.length).toBeLessThan(MAX);
    expect(checkDefenseDocument(b64(bomb), MAX)).toEqual({ ok: false, reason: 'expands beyond what can be checked' });
  });

  it('does not take PDF cross-reference offsets for card numbers', () => {
    const xref = '%PDF-1.4\nxref\n0 3\n0000000000 65535 f \n0000000017 00000 n \n0000000081 00000 n \n';
    expect(checkDefenseDocument(b64(xref), MAX).ok).toBe(true);
  });
});

/** ASCII85 (Adobe), without the `~>` end. */
function ascii85(b: Buffer): string {
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    const chunk = Buffer.alloc(4);
    b.copy(chunk, 0, i, i + 4);
    const n = Math.min(4, b.length - i);
    let v = chunk.readUInt32BE(0);
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode((v % 85) + 33));
      v = Math.floor(v / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return out;
}

describe('defence documents as an attacker builds them (security round 3)', () => {
  const refusedForCard = (doc: Buffer) =>
    expect(checkDefenseDocument(b64(doc), MAX)).toEqual({ ok: false, reason: 'must not contain a card number' });
  const raw = (body: string) => Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Length ${body.length} >>\nstream\n${body}\nendstream\nendobj\n%%EOF\n`, 'latin1');

  it.each([
    ['a PDF hex string', raw('BT <34313131313131313131313131313131> Tj ET')],
    ['a PDF hex string with blanks and an odd digit count', raw('BT <3431 3131 3131 3131 3131 3131 3131 3131 3> Tj ET'.replace(' 3>', '>'))],
    ['PDF octal escapes', raw('BT (\\064\\061\\061\\061\\061\\061\\061\\061\\061\\061\\061\\061\\061\\061\\061\\061) Tj ET')],
    ['a number split across Tj operators', raw('BT (4111) Tj (111111) Tj 10 0 Td (111111) Tj ET')],
    ['a number split inside a TJ array with kerning', raw('BT [(41) -250 (1111111) 30 (1111111)] TJ ET')],
    [
      'a UTF-16 PDF string',
      raw(
        `BT (${'\u00fe\u00ff'}${'4111111111111111'
          .split('')
          .map((d) => `\u0000${d}`)
          .join('')}) Tj ET`,
      ),
    ],
    ['an ASCIIHexDecode stream', raw(Buffer.from('BT (4111 1111 1111 1111) Tj ET').toString('hex') + '>')],
    ['an ASCIIHexDecode then FlateDecode stream', raw(deflateSync(Buffer.from('BT (4111111111111111) Tj ET')).toString('hex') + '>')],
    ['an ASCII85Decode stream', raw(`${ascii85(Buffer.from('BT (4111 1111 1111 1111) Tj ET'))}~>`)],
    ['an ASCII85Decode then FlateDecode stream', raw(`${ascii85(deflateSync(Buffer.from('BT (5555555555554444) Tj ET')))}~>`)],
  ])('finds a card number in %s', (_how, doc) => refusedForCard(doc));

  it.each([
    ['docx character references', docx('<w:t>&#52;&#49;&#49;&#49;&#x31;&#x31;&#x31;&#x31;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;</w:t>')],
    ['UTF-16 XML', docx(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<w:t>4111 1111 1111 1111</w:t>', 'utf16le')]))],
    ['full-width digits', docx('<w:t>４１１１１１１１１１１１１１１１</w:t>')],
    ['a zip inside the .docx', docx(docx('<w:t>5555555555554444</w:t>'), 'word/embeddings/inner.docx')],
    ['a number split by runs, tags and spaces', docx('<w:r><w:t>4111</w:t></w:r>\n  <w:r><w:t>1111</w:t></w:r><w:r><w:t>11111111</w:t></w:r>')],
  ])('finds a card number in %s', (_how, doc) => refusedForCard(doc));

  it('checks the 300-byte .docx of 120,000 "<" and a 40 KB PDF of "<" in linear time, and finds nothing in them', () => {
    const bomb = docx('<'.repeat(120_000));
    expect(bomb.length).toBeLessThan(1000);
    expect(checkDefenseDocument(b64(bomb), MAX)).toMatchObject({ ok: true });
    expect(checkDefenseDocument(b64(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(40_000, '<')])), MAX)).toMatchObject({ ok: true });
    // The worst the budget allows: 16 MB of "<" and of "(" once inflated, refused or passed, never stuck.
    for (const ch of ['<', '(', '<a', '4 ']) {
      const r = checkDefenseDocument(b64(docx(ch.repeat(Math.floor((15 * 1024 * 1024) / ch.length)))), MAX);
      expect(r.ok === true || r.reason === 'expands beyond what can be checked' || r.reason === 'must not contain a card number').toBe(true);
    }
  }, 120_000);

  it('refuses a .docx whose directory repeats one part thousands of times (each reading is paid from the budget)', () => {
    const part = deflateRawSync(Buffer.from(`<w:t>${'x'.repeat(300_000)}</w:t>`));
    const name = Buffer.from('word/document.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(part.length, 18);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(part.length, 20);
    central.writeUInt16LE(name.length, 28);
    const entries = 1000;
    const cd = Buffer.concat(Array.from({ length: entries }, () => Buffer.concat([central, name])));
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(entries, 8);
    eocd.writeUInt16LE(entries, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(local.length + name.length + part.length, 16);
    const doc = Buffer.concat([local, name, part, cd, eocd]);
    expect(doc.length).toBeLessThan(MAX);
    expect(checkDefenseDocument(b64(doc), MAX)).toEqual({ ok: false, reason: 'expands beyond what can be checked' });
  });

  it('refuses an ASCII85 stream of "z" (four zero bytes each) past the budget without building it first', () => {
    const zs = (n: number, tail = '~>') => pdf(`${'z'.repeat(n)}${tail}`);
    expect(checkDefenseDocument(b64(zs(2 * 1024 * 1024)), MAX)).toMatchObject({ ok: true }); // 8 MB of zeros: within
    expect(checkDefenseDocument(b64(zs(4 * 1024 * 1024)), MAX)).toEqual({ ok: false, reason: 'expands beyond what can be checked' }); // 4 + 16 MB
    expect(checkDefenseDocument(b64(zs(4 * 1024 * 1024, '\u0080~>')), MAX)).toMatchObject({ ok: true }); // not ASCII85 after all
  }, 60_000);

  it('refuses what is too small to be a document without failing', () => {
    for (const tiny of ['', 'AA==', 'UEs=', 'JVA=']) expect(checkDefenseDocument(tiny, MAX).ok).toBe(false);
  });

  it('takes an ordinary document with dates, order numbers and amounts', () => {
    const text = 'Order PAY-61202412071548-0001 of 2026-12-07 12:30:00, ref 300120241132, EUR 1.234,56, tracking 1Z999AA10123456784';
    expect(checkDefenseDocument(b64(docx(`<w:t>${text}</w:t>`)), MAX)).toMatchObject({ ok: true });
    expect(checkDefenseDocument(b64(pdf(`BT (${text}) Tj ET`)), MAX)).toMatchObject({ ok: true });
  });
});
