// Nest 12 packages are ESM only and Jest on Node 20 cannot require them; the mapping only needs these names.
jest.mock('@nestjs/common', () => ({
  Catch: () => () => undefined,
  HttpException: class HttpException extends Error {},
  HttpStatus: {},
}));

import { toProblem } from './problem-details.filter';
import { ProblemException } from './problem';

describe('toProblem', () => {
  it('answers an error of our own code as 500, whatever its shape, so a bug is not blamed on the client', () => {
    expect(toProblem(new SyntaxError('Unexpected token } in JSON at position 3'))).toMatchObject({ status: 500, slug: 'internal-error' });
    expect(toProblem(Object.assign(new Error('bad'), { statusCode: 400 }))).toMatchObject({ status: 500, slug: 'internal-error' });
    expect(toProblem(new TypeError("Cannot read properties of undefined (reading 'x')"))).toMatchObject({ status: 500, detail: expect.not.stringContaining('undefined') });
  });

  it('answers the client errors Fastify raises itself with their status', () => {
    expect(toProblem(Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }))).toMatchObject({ status: 413, slug: 'payload-too-large' });
    expect(toProblem(Object.assign(new Error("'/%E0%A4' is not a valid url component"), { code: 'FST_ERR_BAD_URL', statusCode: 400 }))).toMatchObject({ status: 400, slug: 'bad-request' });
    expect(toProblem(Object.assign(new Error('Some future client error'), { code: 'FST_ERR_SOMETHING_NEW', statusCode: 400 }))).toMatchObject({ status: 400, slug: 'bad-request', detail: 'Some future client error' });
    expect(toProblem(Object.assign(new Error('Fastify failed itself'), { code: 'FST_ERR_SOMETHING_NEW', statusCode: 500 }))).toMatchObject({ status: 500, slug: 'internal-error' });
  });

  it('keeps a problem exception as it was raised', () => {
    expect(toProblem(new ProblemException(400, 'malformed-json', 'Malformed JSON', 'The body is empty; send a JSON object.'))).toMatchObject({ status: 400, slug: 'malformed-json', detail: 'The body is empty; send a JSON object.' });
  });
});
