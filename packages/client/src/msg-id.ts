// Client-made message ids: random 128-bit values, so a retransmit after a crash or on
// another connection can never collide with another message of the same sender.

interface WebCrypto {
  randomUUID?(): string;
  getRandomValues?<T extends Uint8Array>(array: T): T;
}

/** 32 lowercase hex digits (a UUID v4 without dashes, where the host has one). */
export function randomMsgId(): string {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID().replace(/-/g, '');
  const bytes = new Uint8Array(16);
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  // Last resort for hosts without Web Crypto: not unpredictable, but still 128 random-looking bits.
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
