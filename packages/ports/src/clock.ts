// The services' clock: the Clock of @parley/protocol (one definition for the services and the
// client SDK), whose real timers here never keep a service process alive.
import { SystemClock as HostClock, type SystemClockOptions } from '@parley/protocol';

export { FakeClock, type Clock, type TimerHandle } from '@parley/protocol';

/** The real clock (Date.now and the host's timers, unref'd). */
export class SystemClock extends HostClock {
  constructor(options: SystemClockOptions = { unref: true }) {
    super(options);
  }
}
