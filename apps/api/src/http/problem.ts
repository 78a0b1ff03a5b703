export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every error leaves the API. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An error the edge already knows how to answer; thrown by controllers, guards and pipes. Free of Nest, so jest can load it. */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly extensions: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'ProblemException';
  }
}

export const validationProblem = (errors: FieldError[], detail = 'The request is not valid; see errors.'): ProblemException =>
  new ProblemException(400, 'validation-failed', 'Validation failed', detail, { errors });

/** Problem `type` URIs are relative references into our documentation (docs/problems.md). */
export const problemType = (slug: string): string => `/problems/${slug}`;
