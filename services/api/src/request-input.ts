// Reading and validating request input once, at the edge: the request line and headers,
// JSON bodies and query strings become checked values here, or an INVALID_FIELD refusal
// naming the field.
import type http from 'node:http';
import { isValidMsgId, isValidUserId, MsgId, UserId } from '@parley/protocol';
import { invalid } from './api-error';

export type JsonObject = Readonly<Record<string, unknown>>;

/** What the server reads of a request before its body: node:http leaves each field optional; absent reads as empty. */
export interface RequestHead {
  readonly method: string;
  readonly url: URL;
  /** The Authorization header; '' when absent. */
  readonly authorization: string;
}

export function readRequestHead(req: http.IncomingMessage): RequestHead {
  return { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://api.invalid'), authorization: req.headers.authorization ?? '' };
}

/** A comma-separated query parameter as its non-empty items ([] when absent). */
export function queryList(query: URLSearchParams, name: string): string[] {
  return (query.get(name) ?? '').split(',').filter((item) => item.length > 0);
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  return value;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === '') throw invalid(field, 'is required');
  return value;
}

/** A caller-made id (msgId, requestId): 1..64 chars of [A-Za-z0-9_-]; a retry reuses it. */
export function requestId(body: JsonObject, field: string): MsgId {
  const value = requiredString(body, field);
  if (!isValidMsgId(value)) throw invalid(field, 'must be 1..64 chars of [A-Za-z0-9_-]');
  return value;
}

export function userId(value: string, field: string): UserId {
  if (!isValidUserId(value)) throw invalid(field, 'must be a user id (1..64 chars of [A-Za-z0-9_.-])');
  return value;
}

export function userIds(body: JsonObject, field: string, max: number): UserId[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(field, 'must be an array of user ids');
  if (value.length > max) throw invalid(field, `at most ${max} user ids`);
  return value.map((item, i) => {
    if (typeof item !== 'string') throw invalid(`${field}[${i}]`, 'must be a string');
    return userId(item, `${field}[${i}]`);
  });
}

/** A whole number query parameter in [min, max]; `fallback` when absent. */
export function queryInt(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,16}$/.test(raw)) throw invalid(name, `must be a whole number from ${min} to ${max}`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw invalid(name, `must be a whole number from ${min} to ${max}`);
  return value;
}
