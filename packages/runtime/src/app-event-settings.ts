// Settings of the services that publish application events for the server API's webhooks
// (gateway: user.connected/disconnected; sequencer: group.changed; delivery:
// message.delivered): merged into their schemas.
import { env } from '@parley/config';

export const appEventSettings = {
  /**
   * Publish the application events no other record tells (message delivered, group changed, user
   * connected/disconnected) on the deliver topic for the server API's webhooks. Off by default:
   * message.delivered adds a record per delivered 1:1 message, which cost delivery about a quarter
   * more CPU per message and several times the send-to-msg:N time on a loaded machine.
   */
  PARLEY_APP_EVENTS: env.bool(false),
};
