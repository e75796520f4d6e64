// The server API's routes: one table that the server dispatches from and that the OpenAPI
// document (docs/openapi.json) is checked against, method, path and status codes alike.
import type { Clock, ConversationIndex, Downlink, Membership, MessageStore, Presence, TokenRevocations } from '@parley/ports';
import { changeMembers, createGroup, readGroup } from './group-admin';
import { conversationParam, presenceUsers, readConversations, readHistory, readPresence } from './reads';
import { JsonObject, queryInt, queryList, userId } from './request-input';
import { parseSend, sendMessage, SendLimits } from './send-message';
import type { SequencerRequests } from './sequencer-requests';
import { revokeUser } from './revoke-user';
import type { InvalidField } from './stored-message';

export interface RouteContext {
  readonly requests: SequencerRequests;
  readonly messageStore: MessageStore;
  readonly conversationIndex: ConversationIndex;
  readonly presence: Presence;
  readonly membership: Membership;
  readonly revocations: TokenRevocations;
  readonly downlink: Downlink;
  readonly clock: Clock;
  readonly send: SendLimits;
  readonly maxPage: number;
  /** Counts a stored message read without a field every stored message has. */
  readonly countInvalidStored: (field: InvalidField) => void;
}

export interface RouteCall {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: JsonObject;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** OpenAPI path template: `{name}` matches one path segment. */
  readonly path: string;
  /** Every status the route answers (besides 500 for an unexpected failure); the OpenAPI document lists exactly these. */
  readonly statuses: readonly number[];
  readonly hasBody: boolean;
  handle(context: RouteContext, call: RouteCall): Promise<unknown>;
}

export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/messages',
    statuses: [200, 400, 401, 403, 404, 413, 422, 503],
    hasBody: true,
    handle: (c, call) => sendMessage(c.requests, parseSend(call.body, c.send)),
  },
  {
    method: 'POST',
    path: '/v1/groups',
    statuses: [200, 400, 401, 403, 409, 413, 422, 503],
    hasBody: true,
    handle: (c, call) => createGroup(c.requests, call.body),
  },
  {
    method: 'GET',
    path: '/v1/groups/{groupId}',
    statuses: [200, 400, 401, 404, 503],
    hasBody: false,
    handle: (c, call) => readGroup(c.membership, call.params.groupId!),
  },
  {
    method: 'POST',
    path: '/v1/groups/{groupId}/members',
    statuses: [200, 400, 401, 403, 413, 422, 503],
    hasBody: true,
    handle: (c, call) => changeMembers(c.requests, call.params.groupId!, call.body),
  },
  {
    method: 'GET',
    path: '/v1/conversations/{conversation}/messages',
    statuses: [200, 400, 401, 503],
    hasBody: false,
    handle: (c, call) =>
      readHistory(
        c.messageStore,
        conversationParam(call.params.conversation!),
        queryInt(call.query, 'after', 0, Number.MAX_SAFE_INTEGER, 0),
        queryInt(call.query, 'limit', 1, c.maxPage, c.maxPage),
        c.countInvalidStored,
      ),
  },
  {
    method: 'GET',
    path: '/v1/users/{user}/conversations',
    statuses: [200, 400, 401, 503],
    hasBody: false,
    handle: async (c, call) => ({
      conversations: await readConversations(c.conversationIndex, c.messageStore, userId(call.params.user!, 'user'), queryInt(call.query, 'limit', 1, c.maxPage, c.maxPage)),
    }),
  },
  {
    method: 'POST',
    path: '/v1/users/{user}/revoke',
    statuses: [200, 400, 401, 413, 503],
    hasBody: true,
    handle: (c, call) => revokeUser(c, userId(call.params.user!, 'user'), call.body),
  },
  {
    method: 'GET',
    path: '/v1/presence',
    statuses: [200, 400, 401, 503],
    hasBody: false,
    handle: async (c, call) => ({ users: await readPresence(c.presence, presenceUsers(queryList(call.query, 'users'))) }),
  },
];

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

const compiled = ROUTES.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]+)')}$`),
}));

/** The route for `method` and `pathname`; 'method' when the path exists with other methods only. */
export function matchRoute(method: string, pathname: string): RouteMatch | 'method' | undefined {
  let pathKnown = false;
  for (const { route, names, pattern } of compiled) {
    const m = pattern.exec(pathname);
    if (!m) continue;
    pathKnown = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
    return { route, params };
  }
  return pathKnown ? 'method' : undefined;
}
