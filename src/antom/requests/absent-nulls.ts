/*
 * A JSON null in a request object means "not given". Antom's .NET SDK serialises its models with
 * IgnoreNullValues = false (global-open-sdk-dotnet 2.2.5, JsonSerializerOptionsFactory.WriteNotIndented), so
 * every property a merchant did not set arrives as `"field": null`, on every API; Antom accepts those
 * requests. Dropping null-valued object members before validation lets them mean what they mean, and
 * keeps `{"x": null}` and `{}` the same request for idempotency. Nulls inside arrays are kept (and
 * refused by the validators): `goods: [null]` is not an absent field.
 */

/** Removes null-valued members of every object in the tree, in place; iterative (the shape check ran first). */
export function dropNullMembers<T>(root: T): T {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (obj[key] === null) delete obj[key];
      else stack.push(obj[key]);
    }
  }
  return root;
}
