// Dispatch from the route table: path parameters decoded, a known path with another method
// told apart from an unknown path.
import { matchRoute } from '../../src/routes';

describe('matchRoute', () => {
  it('matches each route by method and path template, decoding parameters', () => {
    const match = matchRoute('GET', '/v1/conversations/g%3Ateam/messages');
    expect(match).toMatchObject({ route: { path: '/v1/conversations/{conversation}/messages' }, params: { conversation: 'g:team' } });
    expect(matchRoute('POST', '/v1/users/alice/revoke')).toMatchObject({ params: { user: 'alice' } });
    expect(matchRoute('POST', '/v1/groups/team/members')).toMatchObject({ route: { method: 'POST' }, params: { groupId: 'team' } });
  });

  it("answers 'method' for a known path with another method, undefined for an unknown path", () => {
    expect(matchRoute('DELETE', '/v1/messages')).toBe('method');
    expect(matchRoute('GET', '/v1/nothing')).toBeUndefined();
    expect(matchRoute('GET', '/v1/groups/a/b/c')).toBeUndefined();
  });
});
