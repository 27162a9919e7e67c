/** The number schemas the result schema's files share; private to src/report. */
import * as v from "valibot";
import type { Finite, IntFrom, NonNegative } from "./valibot-types.ts";

export const finite: Finite = v.pipe(v.number(), v.finite());
export const nonNegative: NonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
export const count: IntFrom<0> = v.pipe(v.number(), v.integer(), v.minValue(0));
export const positiveCount: IntFrom<1> = v.pipe(v.number(), v.integer(), v.minValue(1));
