/**
 * YAML text of objects that are written exactly as kept in the project
 * (large upstream data such as the Gateway API CRDs), by the object that
 * `ApiObject.toJson()` returned. `toYaml` writes this text instead of
 * serializing the object again, which for a megabyte of CRDs would cost
 * more than the rest of the synthesis together.
 * @internal
 */
export const PRERENDERED_YAML = new WeakMap<object, string>();
