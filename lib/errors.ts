export class AppError extends Error {
  readonly status: number = 500;
  readonly code: string = "internal";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  override readonly status = 400;
  override readonly code = "invalid";
}

export class UnauthorizedError extends AppError {
  override readonly status = 401;
  override readonly code = "unauthorized";
}

export class ForbiddenError extends AppError {
  override readonly status = 403;
  override readonly code = "forbidden";
}

export class NotFoundError extends AppError {
  override readonly status = 404;
  override readonly code = "not_found";
}

export class ConflictError extends AppError {
  override readonly status = 409;
  override readonly code = "conflict";
}

/** A message safe to show a user: our own errors speak for themselves, anything else is hidden. */
export function publicMessage(error: unknown): string {
  return error instanceof AppError ? error.message : "Something went wrong; the details are in the server log.";
}
