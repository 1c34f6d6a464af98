// Checks every response the integration tests received against the OpenAPI document:
// the operation must declare the status, and a JSON body must match the declared schema.
// Usage: node scripts/contract-check.mjs openapi/trackelio.json .trackelio/contract/*.jsonl
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [documentPath, ...logs] = process.argv.slice(2);
if (!documentPath || logs.length === 0) {
  console.error("usage: contract-check.mjs <openapi.json> <responses.jsonl>...");
  process.exit(2);
}
const document = JSON.parse(readFileSync(documentPath, "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
for (const format of ["int32", "int64", "double", "float", "byte", "binary"]) ajv.addFormat(format, true);
ajv.addSchema(document, "doc");

const pointer = (...parts) => parts.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
const validators = new Map();
const failures = new Map();
const fail = (key, detail) => {
  const entry = failures.get(key) ?? { count: 0, detail };
  entry.count++;
  failures.set(key, entry);
};

let checked = 0;
for (const log of logs) {
  for (const line of readFileSync(log, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    checked++;
    const method = r.method.toLowerCase();
    if (method === "options" || method === "head") continue; // CORS preflights and HEAD are answered for every operation
    // Routes mapped as "" in a group end in "/"; the document names them without it.
    const template = r.path.length > 1 && r.path.endsWith("/") ? r.path.slice(0, -1) : r.path;
    const path = document.paths[template];
    const operation = path?.[method];
    const key = `${r.method} ${template} → ${r.status}`;
    if (!operation) {
      fail(key, "the document has no such operation");
      continue;
    }
    const response = operation.responses?.[String(r.status)] ?? operation.responses?.default;
    if (!response) {
      fail(key, `the operation does not declare status ${r.status}`);
      continue;
    }
    const type = (r.content_type ?? "").split(";")[0].trim();
    if (r.body === null || r.body === "") continue;
    if (!(type === "application/json" || type.endsWith("+json"))) {
      // Not JSON (the widget script, an attachment): its media type must be one the document declares.
      if (!response.content?.[type]) fail(key, `a ${type || "untyped"} body is answered but the document declares ${Object.keys(response.content ?? {}).join(", ") || "no content"}`);
      continue;
    }
    const media = response.content?.["application/json"];
    if (!media?.schema) {
      fail(key, "a JSON body is answered but no JSON schema is declared");
      continue;
    }
    const ref = `doc#/${pointer("paths", template, method, "responses", response === operation.responses?.[String(r.status)] ? String(r.status) : "default", "content", "application/json", "schema")}`;
    let validate = validators.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      validators.set(ref, validate);
    }
    if (!validate(JSON.parse(r.body))) {
      // The deepest errors say what is wrong; a oneOf's "must be null" branch says little.
      const errors = [...validate.errors].sort((a, b) => b.instancePath.length - a.instancePath.length).slice(0, 3);
      fail(key, "body does not match the schema: " + errors.map((e) => `${e.instancePath || "/"} ${e.message} (${e.schemaPath})`).join("; "));
    }
  }
}

if (failures.size > 0) {
  console.error(`contract: ${failures.size} kinds of response (of ${checked}) are not what the document describes:`);
  for (const [key, { count, detail }] of [...failures].sort()) console.error(`  ${key} ×${count}: ${detail}`);
  process.exit(1);
}
console.log(`contract: ${checked} responses match the OpenAPI document`);
