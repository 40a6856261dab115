import { BannerFacts, bannerLines } from './banner';

const clone: BannerFacts = {
  gatewayUrl: 'http://127.0.0.1:8080',
  adminUrl: 'http://127.0.0.1:8080',
  sandboxUrl: 'http://127.0.0.1:8081',
  antomBaseUrl: 'http://127.0.0.1:8081',
  merchantFile: '/repo/.data/dev/merchant.json',
  initialPasswordFile: '/repo/.data/dev/admin-initial-password.txt',
  inImage: false,
  cwd: '/repo',
};

/** The compose gateways: no bundled sandbox, compose's sandbox on loopback, files under the /data volume. */
const image: BannerFacts = {
  ...clone,
  sandboxUrl: null,
  merchantFile: '/data/dev/merchant.json',
  initialPasswordFile: '/data/dev/admin-initial-password.txt',
  inImage: true,
  cwd: '/app',
};

describe('start-up banner', () => {
  it('from a clone: the bundled sandbox, npm run pay:demo, paths relative to the clone, Ctrl-C', () => {
    const text = bannerLines(clone).join('\n');
    expect(text).toContain('  Sandbox   http://127.0.0.1:8081');
    expect(text).toContain('  Merchant  .data/dev/merchant.json   (try: npm run pay:demo)');
    expect(text).toContain('password in .data/dev/admin-initial-password.txt');
    expect(text).toContain('Ctrl-C');
  });

  it('in the Docker image: never "real Antom" for the loopback sandbox, no npm script the image lacks, commands through compose', () => {
    const lines = bannerLines(image);
    const text = lines.join('\n');
    expect(text).not.toContain('real Antom');
    expect(text).toContain("  Sandbox   http://127.0.0.1:8081   (a development acquirer on loopback: compose's sandbox service)");
    // pay:demo only from a clone, with the credentials copied out of the container.
    for (const line of lines.filter((l) => l.includes('npm run'))) expect(line).toContain('from a clone');
    expect(text).toContain('docker compose -f docker/compose.yaml cp gateway-1:/data/dev/merchant.json .docker-demo/dev/merchant.json');
    expect(text).toContain('docker compose -f docker/compose.yaml exec gateway-1 cat /data/dev/admin-initial-password.txt');
    expect(text).not.toContain('../data');
    expect(text).not.toContain('Ctrl-C');
  });

  it('with real Antom: says so, and onboarding is the merchant command of where it runs', () => {
    const remote = { antomBaseUrl: 'https://open-sea-global.alipay.com', sandboxUrl: null, merchantFile: null, initialPasswordFile: null };
    expect(bannerLines({ ...clone, ...remote }).join('\n')).toContain('off (real Antom at https://open-sea-global.alipay.com)');
    expect(bannerLines({ ...clone, ...remote }).join('\n')).toContain('npm run merchant -- add');
    const inImage = bannerLines({ ...image, ...remote }).join('\n');
    expect(inImage).toContain('off (real Antom at https://open-sea-global.alipay.com)');
    expect(inImage).toContain('exec gateway-1 node dist/scripts/merchant.js add');
    expect(inImage).not.toContain('npm run');
  });
});
