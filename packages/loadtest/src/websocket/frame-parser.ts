// RFC 6455 frames as a client reads them, parsed in place from the socket's chunks: a
// message that lies whole in one chunk reaches the handler as a view of that chunk (no copy,
// no event object); only a frame split across chunks, or a fragmented message, is copied
// once into a buffer of its size. Server frames must be unmasked, carry no reserved bits (no
// extension was negotiated) and stay under the size limit; control frames may come between
// the fragments of a message.

/** Opcodes (RFC 6455 §5.2). */
export const Opcode = { CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

/** Why the parser gave up; the connection is then failed with `closeCode`. */
export interface FrameProtocolError {
  /** Short, stable kind: `masked-frame`, `reserved-bits`, `bad-opcode`, `bad-control-frame`, `bad-continuation`, `too-big`, `bad-close-payload`. */
  readonly kind: string;
  /** 1002 (protocol error) or 1009 (message too big). */
  readonly closeCode: number;
}

export interface FrameHandler {
  /** A complete text or binary message; `payload` is valid to keep (its memory is never reused). */
  onMessage(payload: Uint8Array, binary: boolean): void;
  onPing(payload: Uint8Array): void;
  onPong(payload: Uint8Array): void;
  /** The server's close frame: its code (1005 when it gave none) and reason bytes. */
  onClose(code: number, reason: Uint8Array): void;
  /** The bytes break the protocol; nothing is parsed after this. */
  onProtocolError(error: FrameProtocolError): void;
}

/** Longest header a server frame can have: 2 bytes, a 64-bit length, no mask. */
const MAX_HEADER_BYTES = 10;

export class FrameParser {
  /** Header bytes of a frame cut short by the end of a chunk (undefined: none). */
  private head: Uint8Array | undefined;
  /** The payload of a frame cut short by the end of a chunk, being filled (undefined: none). */
  private body: Uint8Array | undefined;
  private bodyFilled = 0;
  /** The header just read. */
  private fin = false;
  private opcode = 0;
  private length = 0;
  /** A fragmented message being collected: its first opcode (0: none), its fragments, their bytes. */
  private messageOpcode = 0;
  private fragments: Uint8Array[] = [];
  private fragmentBytes = 0;
  private failed = false;

  /** `maxMessageBytes`: the largest message (or control payload) accepted; beyond it the connection fails with 1009. */
  constructor(
    private readonly handler: FrameHandler,
    private readonly maxMessageBytes: number,
  ) {}

  /** Reads one chunk of the socket's bytes (after the handshake), handling every frame it completes. */
  push(chunk: Uint8Array): void {
    if (this.failed) return;
    let pos = 0;
    if (this.body !== undefined) {
      pos = this.fillBody(chunk);
      if (this.body !== undefined || this.failed) return;
    } else if (this.head !== undefined) {
      const head = this.head;
      const joined = new Uint8Array(head.length + Math.min(chunk.length, MAX_HEADER_BYTES));
      joined.set(head);
      joined.set(chunk.subarray(0, joined.length - head.length), head.length);
      const headerBytes = this.readHeader(joined, 0);
      if (headerBytes < 0) return;
      if (headerBytes === 0) {
        this.head = joined;
        return;
      }
      this.head = undefined;
      pos = this.takePayload(chunk, headerBytes - head.length);
      if (pos < 0) return;
    }
    while (pos < chunk.length) {
      const headerBytes = this.readHeader(chunk, pos);
      if (headerBytes < 0) return;
      if (headerBytes === 0) {
        this.head = chunk.slice(pos);
        return;
      }
      pos = this.takePayload(chunk, pos + headerBytes);
      if (pos < 0) return;
    }
  }

  /**
   * The header at `pos`: its length in bytes with fin, opcode and length set; 0 when the
   * bytes end inside it; -1 when it breaks the protocol (reported).
   */
  private readHeader(buf: Uint8Array, pos: number): number {
    const available = buf.length - pos;
    if (available < 2) return 0;
    const b0 = buf[pos]!;
    const b1 = buf[pos + 1]!;
    if ((b0 & 0x70) !== 0) return this.fail('reserved-bits', 1002);
    if ((b1 & 0x80) !== 0) return this.fail('masked-frame', 1002);
    this.fin = (b0 & 0x80) !== 0;
    this.opcode = b0 & 0x0f;
    let length = b1 & 0x7f;
    let headerBytes = 2;
    if (length === 126) {
      if (available < 4) return 0;
      length = (buf[pos + 2]! << 8) | buf[pos + 3]!;
      headerBytes = 4;
    } else if (length === 127) {
      if (available < 10) return 0;
      const high = ((buf[pos + 2]! << 24) | (buf[pos + 3]! << 16) | (buf[pos + 4]! << 8) | buf[pos + 5]!) >>> 0;
      const low = ((buf[pos + 6]! << 24) | (buf[pos + 7]! << 16) | (buf[pos + 8]! << 8) | buf[pos + 9]!) >>> 0;
      // The most significant bit must be 0; anything past 2^53 is beyond any limit anyway.
      if (high >= 0x200000) return this.fail('too-big', 1009);
      length = high * 0x100000000 + low;
      headerBytes = 10;
    }
    this.length = length;
    return this.checkHeader() ? headerBytes : -1;
  }

  private checkHeader(): boolean {
    const opcode = this.opcode;
    if (opcode >= 0x8) {
      if (opcode > Opcode.PONG) return this.refuse('bad-opcode', 1002);
      if (!this.fin || this.length > 125) return this.refuse('bad-control-frame', 1002);
      return true;
    }
    if (opcode === Opcode.CONTINUATION) {
      if (this.messageOpcode === 0) return this.refuse('bad-continuation', 1002);
    } else if (opcode === Opcode.TEXT || opcode === Opcode.BINARY) {
      if (this.messageOpcode !== 0) return this.refuse('bad-continuation', 1002);
    } else return this.refuse('bad-opcode', 1002);
    if (this.fragmentBytes + this.length > this.maxMessageBytes) return this.refuse('too-big', 1009);
    return true;
  }

  /** The payload of the header just read, from `pos`: handled now when whole in `chunk`, else copied as it comes. The position after it, or -1 when waiting for more (or failed). */
  private takePayload(chunk: Uint8Array, pos: number): number {
    const end = pos + this.length;
    if (end <= chunk.length) {
      this.frame(chunk.subarray(pos, end));
      return this.failed ? -1 : end;
    }
    this.body = new Uint8Array(this.length);
    this.body.set(chunk.subarray(pos));
    this.bodyFilled = chunk.length - pos;
    return -1;
  }

  /** Copies the next bytes of a split payload; the position in `chunk` after them. */
  private fillBody(chunk: Uint8Array): number {
    const body = this.body!;
    const n = Math.min(body.length - this.bodyFilled, chunk.length);
    body.set(chunk.subarray(0, n), this.bodyFilled);
    this.bodyFilled += n;
    if (this.bodyFilled === body.length) {
      this.body = undefined;
      this.frame(body);
    }
    return n;
  }

  /** One whole frame's payload. */
  private frame(payload: Uint8Array): void {
    const opcode = this.opcode;
    if (opcode >= 0x8) return this.control(opcode, payload);
    if (this.fin && opcode !== Opcode.CONTINUATION) {
      this.handler.onMessage(payload, opcode === Opcode.BINARY);
      return;
    }
    if (opcode !== Opcode.CONTINUATION) this.messageOpcode = opcode;
    this.fragments.push(payload);
    this.fragmentBytes += payload.length;
    if (!this.fin) return;
    const message = new Uint8Array(this.fragmentBytes);
    let at = 0;
    for (const fragment of this.fragments) {
      message.set(fragment, at);
      at += fragment.length;
    }
    const binary = this.messageOpcode === Opcode.BINARY;
    this.messageOpcode = 0;
    this.fragments = [];
    this.fragmentBytes = 0;
    this.handler.onMessage(message, binary);
  }

  private control(opcode: number, payload: Uint8Array): void {
    if (opcode === Opcode.PING) return this.handler.onPing(payload);
    if (opcode === Opcode.PONG) return this.handler.onPong(payload);
    if (payload.length === 1) {
      this.fail('bad-close-payload', 1002);
      return;
    }
    const code = payload.length === 0 ? 1005 : (payload[0]! << 8) | payload[1]!;
    if (payload.length > 0 && !isValidCloseCode(code)) {
      this.fail('bad-close-payload', 1002);
      return;
    }
    // Nothing after a close frame is read.
    this.failed = true;
    this.handler.onClose(code, payload.subarray(Math.min(2, payload.length)));
  }

  /** Nothing more is parsed or handled (the connection is gone). */
  stop(): void {
    this.failed = true;
    this.head = undefined;
    this.body = undefined;
    this.fragments = [];
  }

  private refuse(kind: string, closeCode: number): false {
    this.fail(kind, closeCode);
    return false;
  }

  private fail(kind: string, closeCode: number): -1 {
    this.failed = true;
    this.head = undefined;
    this.body = undefined;
    this.handler.onProtocolError({ kind, closeCode });
    return -1;
  }
}

/** A close code a peer may send (RFC 6455 §7.4): 1000–1014 but 1004–1006, or 3000–4999. */
export function isValidCloseCode(code: number): boolean {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006;
}
