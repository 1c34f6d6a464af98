// Reads what the app wrote with the official Azure SDKs for JavaScript, as another team's code would:
// one table entity, one blob (properties and index tags) and the messages of one queue.
// Usage: AZURE_STORAGE_CONNECTION_STRING=… node read-with-azure-sdks.mjs '{"table":…,"partitionKey":…,"rowKey":…,"container":…,"blob":…,"queue":…}'
// Prints one JSON object on stdout.
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";

const connectionString = process.env.AZURE_STORAGE_CONNECTION_STRING;
const spec = JSON.parse(process.argv[2]);

const table = TableClient.fromConnectionString(connectionString, spec.table, { allowInsecureConnection: true });
const entity = await table.getEntity(spec.partitionKey, spec.rowKey);
const columns = {};
for (const [name, value] of Object.entries(entity)) {
  if (name === "etag" || name.startsWith("odata")) continue;
  columns[name] = {
    type: value instanceof Date ? "Date" : value instanceof Uint8Array ? "Binary" : typeof value === "object" && value !== null ? value.type : typeof value,
    value: value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : value instanceof Date ? value.toISOString() : value,
  };
}

const blob = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(spec.container).getBlobClient(spec.blob);
const properties = await blob.getProperties();
const { tags } = await blob.getTags();

const queue = QueueServiceClient.fromConnectionString(connectionString).getQueueClient(spec.queue);
const peeked = await queue.peekMessages({ numberOfMessages: 32 });
// The Functions host's queue trigger decodes base64 by default (host.json extensions.queues.messageEncoding).
const messages = peeked.peekedMessageItems.map((m) => Buffer.from(m.messageText, "base64").toString("utf8"));

console.log(JSON.stringify({
  entity: columns,
  blob: { contentType: properties.contentType, contentLength: properties.contentLength, metadata: properties.metadata, tags },
  messages,
}));
