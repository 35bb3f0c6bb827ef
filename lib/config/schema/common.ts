import { z } from 'zod';
import { parseGoDuration } from '../go/go-duration.ts';
import { goRegexpError } from '../go/go-regexp.ts';

/** A Go duration string such as `1h30m`; kept as written, checked at load. */
export const goDuration = z.string().superRefine((value, ctx) => {
  if (parseGoDuration(value) === undefined) ctx.addIssue({ code: 'custom', message: `invalid duration "${value}": use Go's format, e.g. 90s, 15m, 1h30m` });
});

/** A Go (RE2) regular expression; checked to compile at load. */
export const goRegexp = z.string().superRefine((value, ctx) => {
  const problem = goRegexpError(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

export const stringList = z.array(z.string());
export const stringMap = z.record(z.string(), z.string());

/** A Kubernetes object Prow passes through untouched (PodSpec, resources, affinity...). */
export const kubeObject = z.record(z.string(), z.unknown());
