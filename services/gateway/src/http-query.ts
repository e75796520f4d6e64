// Reading query parameters at the HTTP edge (WebSocket upgrade, long-polling, dev routes):
// uWS answers undefined for an absent parameter, and the gateway treats absent and empty
// alike (an absent token is TOKEN_MISSING, an absent session names none), so both read as ''.
import type * as uws from 'uWebSockets.js';

/** The `name` query parameter of `req` ('' when absent); read synchronously, like everything from a request. */
export const queryParam = (req: uws.HttpRequest, name: string): string => req.getQuery(name) ?? '';
