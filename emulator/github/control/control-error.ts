/** A control API request the emulator cannot honour (unknown login, duplicate name...): answered 400/404/409. */
export class ControlError extends Error {
  readonly status: 400 | 404 | 409;

  constructor(status: 400 | 404 | 409, message: string) {
    super(message);
    this.status = status;
    this.name = 'ControlError';
  }
}
