import { loadConfig } from '../../config/gateway-config';
import { GatewayAddress } from './gateway-address';

describe('GatewayAddress', () => {
  it('with PORT=0 names the bound port, once, and leaves the configuration as loaded', () => {
    const config = loadConfig({}, { PORT: 0 });
    const address = new GatewayAddress(config);
    address.bound('http://127.0.0.1:41234');
    expect(address.publicUrl).toBe('http://127.0.0.1:41234');
    expect(config.GATEWAY_PUBLIC_URL).toBeUndefined();
    expect(() => address.bound('http://127.0.0.1:1')).toThrow(/twice/);
  });

  it('GATEWAY_PUBLIC_URL wins over the listener', () => {
    const address = new GatewayAddress(loadConfig({}, { GATEWAY_PUBLIC_URL: 'https://gateway.shop.example' }));
    address.bound('http://127.0.0.1:41234');
    expect(address.publicUrl).toBe('https://gateway.shop.example');
  });

  it('an IPv6 HOST is bracketed in the default URL', () => {
    expect(new GatewayAddress(loadConfig({}, { HOST: '::1', PORT: 8080 })).publicUrl).toBe('http://[::1]:8080');
  });
});
