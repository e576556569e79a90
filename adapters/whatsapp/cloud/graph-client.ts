/** Sending messages through the Graph API (`WHATSAPP_API_URL` points it at another host, for tests). */
import type { GraphMessage } from './render.js';

export interface GraphClientOptions {
  apiUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  token: string;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class GraphClient {
  constructor(private readonly options: GraphClientOptions) {}

  async send(to: string, message: GraphMessage): Promise<void> {
    const { apiUrl, apiVersion, phoneNumberId, token } = this.options;
    const res = await fetch(`${apiUrl}/${apiVersion}/${phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: number; message?: string } };
      throw new GraphError(res.status, body.error?.code, body.error?.message ?? `Graph API answered ${res.status}`);
    }
  }
}
