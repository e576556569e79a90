/** Where to write back to a person is kept sealed: only the store's secret opens it, and a changed byte is refused. */
import { describe, expect, it } from 'vitest';
import { createUserKeyer } from '../../src/store/user-key.js';

describe('sealed addresses', () => {
  const keyer = createUserKeyer('seal-test-secret-0123456789');
  const address = '{"phone":"56987654321","bsuid":"CL.1502576394655843"}';

  it('opens with the same secret only, and never shows the address in the sealed text', () => {
    const sealed = keyer.seal(address);
    expect(sealed).not.toContain('56987654321');
    expect(sealed).not.toContain('1502576394655843');
    expect(keyer.unseal(sealed)).toBe(address);
    // A new nonce each time: two sealings of one address do not reveal that they are equal.
    expect(keyer.seal(address)).not.toBe(sealed);
    expect(createUserKeyer('another-secret-0123456789').unseal(sealed)).toBeUndefined();
  });

  it('refuses an altered or malformed sealed text', () => {
    const sealed = keyer.seal(address);
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    expect(keyer.unseal([...parts.slice(0, 3), data.toString('base64url')].join('.'))).toBeUndefined();
    for (const bad of ['', 's1', 's1.a.b', 'x1.a.b.c', address]) expect(keyer.unseal(bad)).toBeUndefined();
  });
});
