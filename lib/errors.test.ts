import { describe, expect, it } from 'vitest';
import { ProwError, isProwError } from './errors.ts';

describe('ProwError', () => {
  it('fills the template and keeps the code', () => {
    const err = new ProwError('PROW_ERR_SECRET_MISSING', 'WEBHOOK_SECRET', 'Set it to the secret of your GitHub webhook.');
    expect(err.code).toBe('PROW_ERR_SECRET_MISSING');
    expect(err.message).toBe('WEBHOOK_SECRET is not set. Set it to the secret of your GitHub webhook.');
    expect(isProwError(err, 'PROW_ERR_SECRET_MISSING')).toBe(true);
    expect(isProwError(err, 'PROW_ERR_USAGE')).toBe(false);
    expect(isProwError(new Error('x'))).toBe(false);
  });
});
