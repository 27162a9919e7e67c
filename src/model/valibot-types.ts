/**
 * Short names for valibot's schema types. JSR refuses "slow types" in the
 * public API (a constant exported from an entry whose type needs inference),
 * so each schema the entries export carries its valibot type once, as its
 * annotation: `const S: Obj<{ readonly n: Str }> = v.object({ n: v.string() })`.
 * tsc checks the schema against it, and the types are `v.InferOutput` of the
 * schema. Schemas the entries do not export carry no annotation (`deno publish
 * --dry-run` checks exactly what is needed).
 */
import type * as v from "valibot";

export type Str = v.StringSchema<undefined>;
export type Bool = v.BooleanSchema<undefined>;
export type Num = v.NumberSchema<undefined>;
export type Picklist<T extends v.PicklistOptions> = v.PicklistSchema<T, undefined>;
export type Literal<T extends v.Literal> = v.LiteralSchema<T, undefined>;
export type Obj<T extends v.ObjectEntries> = v.ObjectSchema<T, undefined>;
export type List<T extends v.GenericSchema> = v.ArraySchema<T, undefined>;
export type Optional<T extends v.GenericSchema> = v.OptionalSchema<T, undefined>;
export type Nullable<T extends v.GenericSchema> = v.NullableSchema<T, undefined>;

/** `v.pipe(v.number(), v.finite())` */
export type Finite = v.SchemaWithPipe<readonly [Num, v.FiniteAction<number, undefined>]>;
/** `v.pipe(v.number(), v.finite(), v.minValue(0))` */
export type NonNegative = v.SchemaWithPipe<readonly [Num, v.FiniteAction<number, undefined>, v.MinValueAction<number, 0, undefined>]>;
/** `v.pipe(v.number(), v.integer(), v.minValue(N))` */
export type IntFrom<N extends number> = v.SchemaWithPipe<
  readonly [Num, v.IntegerAction<number, undefined>, v.MinValueAction<number, N, undefined>]
>;
/** `v.pipe(v.string(), v.isoTimestamp())` */
export type Timestamp = v.SchemaWithPipe<readonly [Str, v.IsoTimestampAction<string, undefined>]>;
/** `v.pipe(v.array(item), v.minLength(1))` */
export type NonEmpty<T extends v.GenericSchema> = v.SchemaWithPipe<readonly [List<T>, v.MinLengthAction<v.InferOutput<T>[], 1, undefined>]>;
