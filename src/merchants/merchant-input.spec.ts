import { checkNotifyHost, InputError, parseNotifyUrl } from './merchant-input';

/** Notify URLs at registration (issue 23): what delivery would refuse is refused when the merchant is added or changed. */
describe('parseNotifyUrl', () => {
  const never = /link-local, cloud metadata or reserved address, which is never allowed/;

  it('refuses link-local and cloud metadata literals whatever NOTIFY_PRIVATE_HOSTS allows', () => {
    const urls = [
      'http://169.254.169.254/latest/meta-data',
      'http://2852039166/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fe80::1]/n',
      'https://100.100.100.200/latest',
      'https://[fd00:ec2::254]/latest',
      'http://0.0.0.0:8080/n',
      'https://[64:ff9b::a9fe:a9fe]/n',
    ];
    for (const url of urls) {
      for (const reach of ['public', 'loopback', 'private'] as const) expect(() => parseNotifyUrl(url, reach)).toThrow(never);
    }
  });

  it('allows loopback in development only, private networks only with allow', () => {
    expect(parseNotifyUrl('http://127.0.0.1:9/notify', 'loopback')).toBe('http://127.0.0.1:9/notify');
    expect(parseNotifyUrl('http://localhost:9/notify', 'loopback')).toBe('http://localhost:9/notify');
    expect(() => parseNotifyUrl('http://10.1.2.3/n', 'loopback')).toThrow(/loopback or private address/);
    expect(parseNotifyUrl('http://10.1.2.3/n', 'private')).toBe('http://10.1.2.3/n');
    expect(() => parseNotifyUrl('https://127.0.0.1/n', 'public')).toThrow(/loopback or private address/);
    expect(() => parseNotifyUrl('https://shop.localhost/n', 'public')).toThrow(/loopback or private address/);
    expect(() => parseNotifyUrl('http://shop.example/n', 'public')).toThrow(/https/);
    expect(parseNotifyUrl('https://shop.example/n', 'public')).toBe('https://shop.example/n');
  });
});

describe('checkNotifyHost: what the host name resolves to at registration', () => {
  const resolver = (answers: Record<string, string[]>) => async (host: string) => {
    if (!answers[host]) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return answers[host];
  };
  const names = resolver({
    'metadata.google.internal': ['169.254.169.254'],
    'mapped.example': ['::ffff:a9fe:a9fe'],
    'intranet.example': ['10.0.0.7'],
    'dev.example': ['127.0.0.1'],
    'shop.example': ['93.184.216.34', '2606:2800:220:1::1'],
    'half.example': ['93.184.216.34', 'fe80::1'],
  });

  it('refuses a name resolving to link-local or metadata, whatever NOTIFY_PRIVATE_HOSTS allows', async () => {
    for (const host of ['metadata.google.internal', 'mapped.example', 'half.example']) {
      for (const reach of ['public', 'loopback', 'private'] as const)
        await expect(checkNotifyHost(`http://${host}/n`, reach, names)).rejects.toThrow(InputError);
    }
    await expect(checkNotifyHost('http://metadata.google.internal/n', 'private', names)).rejects.toThrow(/never allowed/);
  });

  it('refuses loopback and private answers as parseNotifyUrl refuses the literals; accepts public and unresolvable names', async () => {
    await expect(checkNotifyHost('https://intranet.example/n', 'loopback', names)).rejects.toThrow(/loopback or private/);
    await expect(checkNotifyHost('https://intranet.example/n', 'private', names)).resolves.toBeUndefined();
    await expect(checkNotifyHost('https://dev.example/n', 'public', names)).rejects.toThrow(/loopback or private/);
    await expect(checkNotifyHost('https://dev.example/n', 'loopback', names)).resolves.toBeUndefined();
    await expect(checkNotifyHost('https://shop.example/n', 'public', names)).resolves.toBeUndefined();
    await expect(checkNotifyHost('https://not-yet-published.example/n', 'public', names)).resolves.toBeUndefined();
  });
});
