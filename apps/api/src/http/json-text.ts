import { parse } from 'secure-json-parse';

/**
 * One JSON text parsed as Fastify parses `application/json` bodies: a `__proto__` key, or a `constructor`
 * key holding `prototype`, is refused with a SyntaxError instead of kept. An NDJSON batch line or an import
 * line is thereby refused where the same object posted as JSON is; `JSON.parse` kept such a key, which the
 * validation then dropped without a word.
 */
export const parseJsonText = (text: string): unknown => parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
