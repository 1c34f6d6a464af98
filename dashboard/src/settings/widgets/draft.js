// A widget's editable copy and the JSON merge patch (RFC 7396) that turns the stored widget into it.
const SECTIONS = ['modules', 'theme', 'languages', 'texts', 'trigger', 'targeting'];

/** What the editor changes: name, origins, on/off and the config's sections. */
export function draftOf(widget) {
  return structuredClone({ name: widget.name, allowed_origins: widget.allowed_origins, is_active: widget.is_active, config: widget.config });
}

/** The draft with the value at a path (e.g. ['config', 'theme', 'primary_color']) replaced; the rest is shared. */
export function withValue(draft, path, value) {
  if (!path.length) return value;
  const [first, ...rest] = path;
  const copy = Array.isArray(draft) ? [...draft] : { ...draft };
  copy[first] = withValue(draft?.[first], rest, value);
  return copy;
}

/** The PATCH /v1/widgets/{id} body from the stored widget to the draft; empty when nothing changed. */
export function changes(widget, draft) {
  const patch = {};
  if (draft.name !== widget.name) patch.name = draft.name;
  if (JSON.stringify(draft.allowed_origins) !== JSON.stringify(widget.allowed_origins)) patch.allowed_origins = draft.allowed_origins;
  if (draft.is_active !== widget.is_active) patch.is_active = draft.is_active;
  for (const section of SECTIONS) {
    const change = mergePatch(widget.config[section], draft.config[section]);
    if (change !== undefined) patch[section] = change;
  }
  return patch;
}

const isObject = value => value !== null && typeof value === 'object' && !Array.isArray(value);

/** RFC 7396 from `before` to `after`: objects merge, null removes, anything else replaces; undefined when equal. */
export function mergePatch(before, after) {
  if (isObject(before) && isObject(after)) {
    const patch = {};
    for (const key of Object.keys(before)) if (!(key in after) && before[key] !== null) patch[key] = null;
    for (const [key, value] of Object.entries(after)) {
      if (value === null && (before[key] === undefined || before[key] === null)) continue;
      const change = mergePatch(before[key], value);
      if (change !== undefined) patch[key] = change;
    }
    return Object.keys(patch).length ? patch : undefined;
  }
  if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return undefined;
  return after ?? null;
}
