import { deflateRawSync, deflateSync } from 'node:zlib';
import { checkDefenseDocument } from './defense-document';

const MAX = 750_000;
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

function pdf(text: string): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n'), deflateSync(Buffer.from(text)), Buffer.from('\nendstream\nendobj\n%%EOF\n')]);
}

/** A minimal .docx: one deflated entry, with its central directory. */
function docx(xml: string): Buffer {
  const name = Buffer.from('word/document.xml');
  const data = deflateRawSync(Buffer.from(xml));
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(8, 8); local.writeUInt32LE(data.length, 18); local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(8, 10); central.writeUInt32LE(data.length, 20); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(0, 42);
  const cdAt = local.length + name.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(1, 8); eocd.writeUInt16LE(1, 10); eocd.writeUInt32LE(central.length + name.length, 12); eocd.writeUInt32LE(cdAt, 16);
  return Buffer.concat([local, name, data, central, name, eocd]);
}

describe('defence documents', () => {
  it('takes a PDF or Word file, and keeps only its size, format and SHA-256', () => {
    const r = checkDefenseDocument(b64(pdf('Delivered on 2026-11-02, tracking 1Z999AA10123456784')), MAX);
    expect(r).toMatchObject({ ok: true, format: 'PDF', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(checkDefenseDocument(b64(docx('<w:t>Order 42 delivered</w:t>')), MAX)).toMatchObject({ ok: true, format: 'WORD' });
    expect(checkDefenseDocument(b64(Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(100)])), MAX)).toMatchObject({ ok: true, format: 'WORD' });
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
    expect(checkDefenseDocument(b64(Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(2000)])), 1000)).toEqual({ ok: false, reason: 'is larger than 1000 bytes' });
    const bomb = docx(`<w:t>${'0'.repeat(40 * 1024 * 1024)}</w:t>`);
    expect(bomb.length).toBeLessThan(MAX);
    expect(checkDefenseDocument(b64(bomb), MAX)).toEqual({ ok: false, reason: 'expands beyond what can be checked' });
  });

  it('does not take PDF cross-reference offsets for card numbers', () => {
    const xref = '%PDF-1.4\nxref\n0 3\n0000000000 65535 f \n0000000017 00000 n \n0000000081 00000 n \n';
    expect(checkDefenseDocument(b64(xref), MAX).ok).toBe(true);
  });
});
