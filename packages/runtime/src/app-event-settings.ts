// Settings of the services that publish application events for the server API's webhooks
// (gateway: user.connected/disconnected; sequencer: group.changed; delivery:
// message.delivered): merged into their schemas.
import { env } from '@parley/config';

export const appEventSettings = {
  /**
   * Publish the application events no other record tells (message delivered, group changed, user
   * connected/disconnected) on the deliver topic for the server API's webhooks; false saves their
   * records (one per delivered 1:1 message, one per connection opened or closed) where no webhook listens.
   */
  PARLEY_APP_EVENTS: env.bool(true),
};
