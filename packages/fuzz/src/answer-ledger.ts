// What each connection is owed after sending requests, and whether the frames it received pay
// it: every msg:R, group:R, sync:R and conversations:R an answer or an error naming its id;
// every ack:R and offline:R an ack:A, an offline:A or an error without an id. Every error code
// must be a documented one; every request the gateway refused an error of the code it decided.
import { ErrorCode, Frame, FrameInit } from '@parley/protocol';

const DOCUMENTED = new Set<number>(Object.values(ErrorCode));

export interface Shortfall {
  readonly connection: string;
  readonly missing: string;
}

export class AnswerLedger {
  private readonly owedById = new Map<string, Map<string, number>>();
  private readonly owedUnnamed = new Map<string, number>();
  private readonly owedErrors = new Map<string, Map<number, number>>();

  /** A request the gateway forwarded from `connection`. */
  owe(connection: string, frame: FrameInit): void {
    const requestId = frame.msgR?.msgId ?? frame.groupR?.requestId ?? frame.syncR?.requestId ?? frame.conversationsR?.requestId;
    if (requestId !== undefined && requestId !== null) {
      const owed = this.owedById.get(connection) ?? new Map<string, number>();
      owed.set(requestId, (owed.get(requestId) ?? 0) + 1);
      this.owedById.set(connection, owed);
    } else if (frame.ackR || frame.offlineR) {
      this.owedUnnamed.set(connection, (this.owedUnnamed.get(connection) ?? 0) + 1);
    }
  }

  /** A request the gateway refused from `connection`: it owes an error with `code`. */
  oweError(connection: string, code: number): void {
    const owed = this.owedErrors.get(connection) ?? new Map<number, number>();
    owed.set(code, (owed.get(code) ?? 0) + 1);
    this.owedErrors.set(connection, owed);
  }

  /** What is still unanswered, and every undocumented error code seen (empty when all is paid). */
  shortfalls(framesOf: (connection: string) => readonly Frame[]): Shortfall[] {
    const out: Shortfall[] = [];
    for (const [connection, owed] of this.owedById) {
      const answers = new Map<string, number>();
      for (const f of framesOf(connection)) {
        const named = f.msgA?.msgId ?? f.groupA?.requestId ?? f.syncA?.requestId ?? f.conversationsA?.requestId ?? f.error?.msgId;
        if (named !== undefined && named !== null) answers.set(named, (answers.get(named) ?? 0) + 1);
      }
      for (const [requestId, count] of owed) {
        const got = answers.get(requestId) ?? 0;
        if (got < count) out.push({ connection, missing: `${count - got} answer(s) naming ${JSON.stringify(requestId)}` });
      }
    }
    for (const [connection, count] of this.owedUnnamed) {
      const got = framesOf(connection).filter((f) => f.ackA || f.offlineA || (f.error && !f.error.msgId)).length;
      if (got < count) out.push({ connection, missing: `${count - got} ack:A/offline:A` });
    }
    for (const [connection, owed] of this.owedErrors) {
      const got = new Map<number, number>();
      for (const f of framesOf(connection)) if (f.error) got.set(f.error.code ?? 0, (got.get(f.error.code ?? 0) ?? 0) + 1);
      for (const [code, count] of owed) {
        if ((got.get(code) ?? 0) < count) out.push({ connection, missing: `${count - (got.get(code) ?? 0)} error(s) ${code}` });
      }
    }
    for (const connection of new Set([...this.owedById.keys(), ...this.owedUnnamed.keys(), ...this.owedErrors.keys()])) {
      for (const f of framesOf(connection)) {
        if (f.error && !DOCUMENTED.has(f.error.code ?? 0)) out.push({ connection, missing: `undocumented error code ${f.error.code}` });
      }
    }
    return out;
  }
}
