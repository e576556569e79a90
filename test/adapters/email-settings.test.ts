import { describe, expect, it } from 'vitest';
import { readServerSettings } from '../../adapters/server/settings.js';

const base = { PORT: '0', SMTP_URL: 'smtp://mail.municipio.cl:587', MAIL_FROM: 'Consulta <consulta@municipio.cl>', CABILDO_PUBLIC_URL: 'https://consulta.municipio.cl/' };

describe('email settings', () => {
  it('sends nothing without SMTP_URL (empty counts as unset)', () => {
    expect(readServerSettings({ PORT: '0' }).email).toBeUndefined();
    expect(readServerSettings({ ...base, SMTP_URL: '' }).email).toBeUndefined();
  });

  it('turns email on with SMTP_URL, MAIL_FROM and CABILDO_PUBLIC_URL', () => {
    expect(readServerSettings(base).email).toMatchObject({ smtpUrl: 'smtp://mail.municipio.cl:587', from: 'Consulta <consulta@municipio.cl>', publicUrl: 'https://consulta.municipio.cl' });
  });

  it('stops start-up with the variable to fix', () => {
    expect(() => readServerSettings({ ...base, SMTP_URL: 'http://mail.municipio.cl' })).toThrow(/SMTP_URL must be an SMTP server address/);
    expect(() => readServerSettings({ ...base, MAIL_FROM: '' })).toThrow(/MAIL_FROM must be the sender/);
    expect(() => readServerSettings({ ...base, MAIL_FROM: 'Consulta <consulta@municipio.cl>\r\nBcc: x@y.cl' })).toThrow(/MAIL_FROM/);
    expect(() => readServerSettings({ ...base, CABILDO_PUBLIC_URL: '' })).toThrow(/SMTP_URL needs CABILDO_PUBLIC_URL/);
  });
});
