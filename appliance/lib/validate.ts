import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { Static, TSchema } from "typebox";
import { TEXT_FORMATS } from "../../protocol/schemas/text.ts";

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/*
 * One JSON-Schema validator for every edge that is not an HTTP route (config file, menu import,
 * WebSocket messages, upstream replies). Fastify validates routes with the same schemas.
 */

/**
 * The process's two Ajv instances (each costs memory and compile time on a Pi):
 * `exactAjv` never coerces (bodies, files, messages) and fills in schema defaults;
 * `queryAjv` coerces query-string text ("?limit=10" is a number, repeated keys are arrays).
 */
export const exactAjv = withFormats(
  new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: false, removeAdditional: false }),
);
let queryInstance: Ajv | undefined;
export function queryAjv(): Ajv {
  queryInstance ??= withFormats(
    new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: "array", removeAdditional: false }),
  );
  return queryInstance;
}

/** The standard formats (uuid, date-time, …) and the free-text ones (protocol/text.ts). */
function withFormats(ajv: Ajv): Ajv {
  addFormats(ajv);
  for (const [name, format] of Object.entries(TEXT_FORMATS))
    ajv.addFormat(name, { type: "string", validate: format.check });
  return ajv;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export interface Validator<T> {
  (value: unknown): Validation<T>;
}

/** Compiles `schema` once; the validator reports every error as `path: message`. */
export function compileValidator<S extends TSchema>(schema: S): Validator<Static<S>> {
  const check: ValidateFunction = exactAjv.compile(schema);
  return (value: unknown) => {
    if (check(value)) return { ok: true, value: value as Static<S> };
    return { ok: false, errors: formatErrors(check.errors ?? []) };
  };
}

/** `a.b[2].c: message` for each Ajv error, unknown keys named, duplicates removed. */
export function formatErrors(errors: readonly ErrorObject[]): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    const base = pointerToPath(error.instancePath);
    if (error.keyword === "additionalProperties") {
      const key = String((error.params as { additionalProperty?: unknown }).additionalProperty);
      lines.add(`${joinPath(base, key)}: unknown key`);
    } else if (error.keyword === "required") {
      const key = String((error.params as { missingProperty?: unknown }).missingProperty);
      lines.add(`${joinPath(base, key)}: is required`);
    } else if (error.keyword === "enum" || error.keyword === "const") {
      const allowed = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
      const values = allowed.allowedValues ?? [allowed.allowedValue];
      lines.add(`${base || "(root)"}: must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}`);
    } else if (error.keyword === "format" && isTextFormat((error.params as { format?: unknown }).format)) {
      lines.add(
        `${base || "(root)"}: ${TEXT_FORMATS[(error.params as { format: keyof typeof TEXT_FORMATS }).format].message}`,
      );
    } else if (error.keyword === "anyOf" || error.keyword === "oneOf") {
      // The branches' own errors are more useful; skip the summary line.
      continue;
    } else {
      lines.add(`${base || "(root)"}: ${error.message ?? "is invalid"}`);
    }
  }
  return [...lines];
}

function isTextFormat(format: unknown): format is keyof typeof TEXT_FORMATS {
  return typeof format === "string" && Object.hasOwn(TEXT_FORMATS, format);
}

function pointerToPath(pointer: string): string {
  if (!pointer) return "";
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : joinPath(path, part)), "");
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}
