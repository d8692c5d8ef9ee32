import { readFileSync } from 'node:fs';
import type { Receiver, WebhookConfig } from '../config/alertmanager-config';
import type { DeliveryReceiver } from '../notify/receiver-delivery';

function authorizationOf(config: WebhookConfig): string | undefined {
  const http = config.httpConfig;
  if (http?.authorization) return `${http.authorization.type} ${http.authorization.credentials}`;
  if (http?.basicAuth) return `Basic ${Buffer.from(`${http.basicAuth.username}:${http.basicAuth.password}`).toString('base64')}`;
  return undefined;
}

/** The parsed receiver as delivery sends it; `url_file` is read at each send, as Alertmanager does (rotation). */
export function deliveryReceiver(receiver: Receiver): DeliveryReceiver {
  return {
    name: receiver.name,
    webhookConfigs: receiver.webhookConfigs.map((c) => ({
      url: c.url ?? readFileSync(c.urlFile as string, 'utf8').trim(),
      authorization: authorizationOf(c),
      sendResolved: c.sendResolved,
      maxAlerts: c.maxAlerts,
    })),
    incidentConfigs: receiver.incidentConfigs,
    vigilNotifyConfigs: receiver.vigilNotifyConfigs,
  };
}
