// A hand-driven protocol connection of the fuzz: sends raw frames, records every frame it
// receives and how it closed, and waits for a frame matching a condition.
import WebSocket from 'ws';
import { signToken } from '@parley/auth';
import { asUserId, decodeFrame, encodeFrame, Frame, FrameInit } from '@parley/protocol';
import { waitFor } from '@parley/testkit';

export class FuzzConnection {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.frames.push(decodeFrame(new Uint8Array(data))));
    socket.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static async open(port: number, user: string, secret: string): Promise<FuzzConnection> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${signToken(secret, asUserId(user), 3600)}`);
    const connection = new FuzzConnection(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await connection.next('welcome', () => true, 30_000);
    return connection;
  }

  send(frame: FrameInit): void {
    this.socket.send(encodeFrame(frame));
  }

  sendBytes(bytes: Uint8Array): void {
    this.socket.send(bytes);
  }

  async next(packet: NonNullable<Frame['packet']>, where: (f: Frame) => boolean, timeoutMs: number): Promise<Frame> {
    let found: Frame | undefined;
    await waitFor(
      () => {
        found = this.frames.find((f) => f.packet === packet && where(f));
        return found !== undefined;
      },
      { timeoutMs, intervalMs: 5, what: `a ${packet} frame` },
    );
    return found!;
  }

  close(): void {
    this.socket.close();
  }
}
