// The errors delivery answers a request with: NOT_A_MEMBER for a conversation its user is not
// in (the gateway checks 1:1 conversations; group membership only delivery knows), and the
// refusal the edge gave a request no gateway forwards (deliver-record.ts). Each is counted.
import type { SharedMetrics } from '@parley/observability';
import type { DownlinkBatcher } from '@parley/ports';
import { ErrorCode, errorCodeName } from '@parley/protocol';
import type { RefusedRequest, RequestOrigin } from './deliver-record';

export type ErrorCounter = SharedMetrics['errors'];

/** NOT_A_MEMBER to `origin`, naming `requestId` when the request has one. */
export function refuseNonMember(out: DownlinkBatcher, errors: ErrorCounter, origin: RequestOrigin, conversation: string, requestId?: string): void {
  const message = `not a member of ${conversation}`;
  out.add(origin, { error: { code: ErrorCode.NOT_A_MEMBER, message, retryable: false, ...(requestId === undefined ? {} : { msgId: requestId }) } });
  errors.inc({ code: 'NOT_A_MEMBER', service: 'delivery' });
}

/** The error the edge decided for a request no gateway forwards, as the gateway would have answered it. */
export function answerRefusal(out: DownlinkBatcher, errors: ErrorCounter, request: RefusedRequest): void {
  out.add(request.origin, { error: { code: request.code, message: request.message, retryable: false, ...(request.msgId ? { msgId: request.msgId } : {}) } });
  errors.inc({ code: errorCodeName(request.code) ?? String(request.code), service: 'delivery' });
}
