/**
 * A real SMTP server on a loopback port (the `smtp-server` package), keeping every message it
 * accepted, parsed by `mailparser`, and the recipients it was asked for. `refuse` decides, per
 * recipient and attempt, to answer RCPT TO with an SMTP error (451: try later; 550: never).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface FakeSmtp {
  port: number;
  url: string;
  /** Messages accepted, in order. */
  received: ParsedMail[];
  /** RCPT TO commands seen per address (accepted or not). */
  attempts: Map<string, number>;
  /** Per recipient and attempt (1-based): an SMTP reply code to refuse with, or undefined to accept. */
  refuse: (address: string, attempt: number) => number | undefined;
  /** Messages accepted for one address. */
  to(address: string): ParsedMail[];
  stop(): Promise<void>;
  /** Listens again on the same port after `stop`. */
  restart(): Promise<void>;
}

export async function startFakeSmtp(port = 0): Promise<FakeSmtp> {
  const fake: FakeSmtp = {
    port,
    url: '',
    received: [],
    attempts: new Map(),
    refuse: () => undefined,
    to: (address) => fake.received.filter((m) => addressesOf(m).includes(address)),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    restart: async () => {
      server = create();
      await listen(server, fake.port);
    },
  };
  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const rcpt = address.address.toLowerCase();
        const attempt = (fake.attempts.get(rcpt) ?? 0) + 1;
        fake.attempts.set(rcpt, attempt);
        const code = fake.refuse(rcpt, attempt);
        if (code === undefined) return callback();
        const error = Object.assign(new Error(code >= 500 ? `5.1.1 <${rcpt}>: no such mailbox` : `4.7.1 <${rcpt}>: try again later`), { responseCode: code });
        callback(error);
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            fake.received.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
  let server = create();
  fake.port = await listen(server, port);
  fake.url = `smtp://127.0.0.1:${fake.port}`;
  return fake;
}

function listen(server: SMTPServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
  });
}

function addressesOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((t) => t.value.map((v) => v.address ?? ''));
}
