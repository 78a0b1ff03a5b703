import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export const setUpOpenApi = (app: INestApplication): void => {
  const config = new DocumentBuilder()
    .setTitle('Battery supply chain — system of record')
    .setDescription(
      'An event-sourced, bitemporal record of the battery industry: capacity announcements, plants, financing, ' +
        'standards, tariffs and technology milestones. Writes are idempotent (Idempotency-Key) and optimistic ' +
        '(If-Match); every read answers for asOf (valid time) and knownAt (transaction time). Errors are RFC 9457 ' +
        'problem details.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (roles: integrator, analyst, auditor, admin)' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
};
