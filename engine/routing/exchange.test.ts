import { describe, expect, it } from 'vitest';
import { Exchange } from './exchange.ts';
import { headersMatch, isXMatch } from './headersMatch.ts';

// Expectations from RabbitMQ's documented routing (AMQP 0-9-1 model, "Exchanges" and the headers
// exchange guide), not from this code: direct = exact key, fanout ignores the key, binding is
// idempotent, headers x-match all (default) / any, x- arguments ignored except with *-with-x.
const route = (e: Exchange, key: string, headers?: Record<string, string | number | boolean | null>) => {
  const out = new Set<string>();
  e.route(key, headers, out);
  return [...out].sort();
};

describe('Exchange', () => {
  it('direct routes on the exact key, to every queue bound with it', () => {
    const e = new Exchange('d', 'direct', false, undefined);
    expect(e.bind('q1', 'red', {})).toBe(true);
    expect(e.bind('q2', 'red', {})).toBe(true);
    expect(e.bind('q3', 'blue', {})).toBe(true);
    expect(route(e, 'red')).toEqual(['q1', 'q2']);
    expect(route(e, 'blue')).toEqual(['q3']);
    expect(route(e, 'Red')).toEqual([]);
    expect(route(e, 'red.x')).toEqual([]);
    expect(e.unbind('q1', 'red', {})).toBe(true);
    expect(route(e, 'red')).toEqual(['q2']);
    expect(e.unbind('q2', 'red', {})).toBe(true);
    expect(route(e, 'red')).toEqual([]);
    expect(e.bind('q2', 'red', {})).toBe(true); // the emptied key can be bound again
    expect(route(e, 'red')).toEqual(['q2']);
  });

  it('binding twice is one binding; unbinding what is not bound changes nothing', () => {
    const e = new Exchange('d', 'direct', true, 'alt');
    expect([e.durable, e.alternateExchange, e.name, e.type]).toEqual([true, 'alt', 'd', 'direct']);
    expect(e.bind('q', 'k', {})).toBe(true);
    expect(e.bind('q', 'k', {})).toBe(false);
    expect(e.bindingCount).toBe(1);
    expect(e.unbind('q', 'other', {})).toBe(false);
    expect(e.unbind('other', 'k', {})).toBe(false);
    expect(e.bindings()).toEqual([{ queue: 'q', bindingKey: 'k', args: {} }]);
    expect(e.unbind('q', 'k', {})).toBe(true);
    expect(e.unbind('q', 'k', {})).toBe(false);
    expect(e.bindingCount).toBe(0);
  });

  it('bindings differing only in arguments are distinct; argument order does not matter', () => {
    const e = new Exchange('h', 'headers', false, undefined);
    expect(e.bind('q', '', { a: 1, b: 2 })).toBe(true);
    expect(e.bind('q', '', { b: 2, a: 1 })).toBe(false);
    expect(e.bind('q', '', { a: 1 })).toBe(true);
    expect(e.bind('q', '', { a: '1' })).toBe(true);
    expect(e.bindingCount).toBe(3);
    expect(e.unbind('q', '', { b: 2, a: 1 })).toBe(true);
    expect(e.bindingCount).toBe(2);
  });

  it('fanout ignores the key and routes to each bound queue once, until its last binding goes', () => {
    const e = new Exchange('f', 'fanout', false, undefined);
    e.bind('q1', 'a', {});
    e.bind('q1', 'b', {});
    e.bind('q2', '', {});
    expect(route(e, 'anything')).toEqual(['q1', 'q2']);
    e.unbind('q1', 'a', {});
    expect(route(e, '')).toEqual(['q1', 'q2']);
    e.unbind('q1', 'b', {});
    expect(route(e, '')).toEqual(['q2']);
  });

  it('topic routes through its pattern bindings, and unbinding removes them', () => {
    const e = new Exchange('t', 'topic', false, undefined);
    e.bind('all', '#', {});
    e.bind('eu', 'eu.*', {});
    expect(route(e, 'eu.paris')).toEqual(['all', 'eu']);
    expect(route(e, 'us.nyc')).toEqual(['all']);
    e.unbind('all', '#', {});
    expect(route(e, 'us.nyc')).toEqual([]);
  });

  it('unbindQueue removes every binding to that queue and no other', () => {
    for (const type of ['direct', 'fanout', 'topic', 'headers'] as const) {
      const e = new Exchange('x', type, false, undefined);
      e.bind('gone', 'k', {});
      e.bind('gone', 'j', {});
      e.bind('kept', 'k', {});
      e.unbindQueue('gone');
      expect(e.bindings().map((b) => b.queue)).toEqual(['kept']);
      expect(route(e, 'k', {})).toEqual(['kept']);
    }
  });

  it('headers routes on the binding arguments, ignoring the routing key', () => {
    const e = new Exchange('h', 'headers', false, undefined);
    e.bind('pdf', 'ignored', { format: 'pdf' });
    e.bind('either', '', { 'x-match': 'any', format: 'zip', size: 'big' });
    expect(route(e, 'whatever', { format: 'pdf' })).toEqual(['pdf']);
    expect(route(e, '', { format: 'zip' })).toEqual(['either']);
    expect(route(e, '', { size: 'big', format: 'pdf' })).toEqual(['either', 'pdf']);
    expect(route(e, '', undefined)).toEqual([]);
  });
});

describe('headersMatch (RabbitMQ headers exchange)', () => {
  it('all (the default): every argument present with an equal value', () => {
    expect(headersMatch({ a: 1, b: 'x' }, { a: 1, b: 'x', c: true })).toBe(true);
    expect(headersMatch({ 'x-match': 'all', a: 1, b: 'x' }, { a: 1, b: 'y' })).toBe(false);
    expect(headersMatch({ a: 1, b: 'x' }, { a: 1 })).toBe(false);
    expect(headersMatch({ a: 1 }, { a: '1' })).toBe(false); // values compare with their types
    expect(headersMatch({ a: null }, { a: null })).toBe(true);
    expect(headersMatch({ a: null }, {})).toBe(false);
    expect(headersMatch({ a: 1 }, undefined)).toBe(false);
  });

  it('any: one present argument with an equal value is enough', () => {
    expect(headersMatch({ 'x-match': 'any', a: 1, b: 2 }, { b: 2 })).toBe(true);
    expect(headersMatch({ 'x-match': 'any', a: 1, b: 2 }, { a: 2, b: 1 })).toBe(false);
    expect(headersMatch({ 'x-match': 'any', a: 1 }, undefined)).toBe(false);
  });

  it('with no arguments, all matches every message and any matches none', () => {
    expect(headersMatch({}, undefined)).toBe(true);
    expect(headersMatch({ 'x-match': 'all' }, { a: 1 })).toBe(true);
    expect(headersMatch({ 'x-match': 'any' }, { a: 1 })).toBe(false);
  });

  it('x- arguments are ignored, unless x-match is all-with-x or any-with-x', () => {
    expect(headersMatch({ 'x-tag': 'v', a: 1 }, { a: 1 })).toBe(true);
    expect(headersMatch({ 'x-match': 'any', 'x-tag': 'v' }, { 'x-tag': 'v' })).toBe(false);
    expect(headersMatch({ 'x-match': 'all-with-x', 'x-tag': 'v', a: 1 }, { a: 1 })).toBe(false);
    expect(headersMatch({ 'x-match': 'all-with-x', 'x-tag': 'v', a: 1 }, { a: 1, 'x-tag': 'v' })).toBe(true);
    expect(headersMatch({ 'x-match': 'any-with-x', 'x-tag': 'v', a: 1 }, { 'x-tag': 'v' })).toBe(true);
    expect(headersMatch({ 'x-match': 'any-with-x', 'x-tag': 'v' }, { 'x-tag': 'w' })).toBe(false);
  });

  it('isXMatch accepts exactly the four modes', () => {
    expect(['all', 'any', 'all-with-x', 'any-with-x'].every(isXMatch)).toBe(true);
    expect(['ALL', 'some', '', undefined, 1].some(isXMatch)).toBe(false);
  });
});
