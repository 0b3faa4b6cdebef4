/**
 * YAML text of an object, by the object: `toYaml` writes this text instead
 * of serializing the object again. Filled ahead for large upstream data kept
 * as text in the project (the Gateway API CRDs, whose serialization would
 * cost more than the rest of the synthesis together), and by `toYaml` for
 * every object it serializes (each object of the layer is written twice: in
 * `manifests/` and in its local chart's templates). Objects are not changed
 * once collected.
 * @internal
 */
export const PRERENDERED_YAML = new WeakMap<object, string>();
