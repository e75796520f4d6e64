// Transient (retry the same records, skip nothing) versus poison (isolate the record).
import { UnavailableError } from '@parley/ports';
import { InvalidFieldError } from '@parley/protocol';
import { classifyFailure } from '../../src/failure-kind';

const named = (name: string, message = 'x', extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name }, extra);

describe('what kind of failure an error is', () => {
  it.each([
    ['UnavailableError', new UnavailableError('redis down')],
    ['a socket error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })],
    ['ioredis giving up on a command', named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 2).')],
    ['ioredis on a closed connection', new Error('Connection is closed.')],
    ['Redis loading its data set', named('ReplyError', 'LOADING Redis is loading the dataset in memory')],
    ['a replica that became read-only', named('ReplyError', "READONLY You can't write against a read only replica.")],
    ['Redis out of memory', named('ReplyError', "OOM command not allowed when used memory > 'maxmemory'.")],
    ['Redis failing to snapshot', named('ReplyError', 'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.')],
    ['a script flushed by a restart', named('ReplyError', 'NOSCRIPT No matching script. Please use EVAL.')],
    ['a retriable kafkajs error', named('KafkaJSProtocolError', 'NOT_LEADER_FOR_PARTITION', { retriable: true })],
    ['kafkajs losing its connection', named('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED', { retriable: false })],
    ['kafkajs out of retries', named('KafkaJSNumberOfRetriesExceeded', 'retries exceeded')],
    ['a producer the broker refuses as out of order', named('KafkaJSProtocolError', 'The broker received an out of order sequence number', { retriable: false, type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' })],
    ['a producer id the broker forgot', named('KafkaJSProtocolError', 'This exception is raised by the broker if it could not locate the producer metadata', { retriable: false, type: 'UNKNOWN_PRODUCER_ID' })],
    ['a wrapped socket error', new Error('publish failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) })],
    ['one unavailable among several', new AggregateError([new TypeError('x'), new UnavailableError('down')])],
  ])('%s is transient', (_label, error) => {
    expect(classifyFailure(error)).toBe('transient');
  });

  it.each([
    ['a TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'seq')")],
    ['a RangeError', new RangeError('Invalid array length')],
    ['an invalid field', new InvalidFieldError('cursor', 'bad')],
    ['a Redis script error', named('ReplyError', 'ERR Error running script: attempt to compare nil with number')],
    ['a Redis wrong type', named('ReplyError', 'WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['a non-retriable kafkajs error', named('KafkaJSProtocolError', 'MESSAGE_TOO_LARGE', { retriable: false, type: 'MESSAGE_TOO_LARGE' })],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
    ['a self-referencing cause', (() => { const e: Error & { cause?: unknown } = new Error('loop'); e.cause = e; return e; })()],
  ])('%s is poison', (_label, error) => {
    expect(classifyFailure(error)).toBe('poison');
  });
});
