import { parse } from 'secure-json-parse';

/**
 * How the API parses every JSON text it is sent: request bodies, NDJSON batch lines and import lines. A
 * `__proto__` key, or a `constructor` key holding `prototype`, is refused with a SyntaxError instead of
 * kept (`JSON.parse` kept such a key, which validation then dropped without a word), so all three refuse
 * the same texts with the same message.
 */
export const parseJsonText = (text: string): unknown => parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
