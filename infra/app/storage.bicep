// Trackelio's storage: every container, queue and table the app uses (the same names as
// Trackelio.Functions/Storage/StorageNames.cs; Trackelio.Functions.Tests/Infra holds the two
// lists against each other), the Flex Consumption deployment container, and the lifecycle
// rules that remove uploads never attached to anything and stale claim-check blobs.

@description('Globally unique name of the storage account.')
param name string

@description('Azure region of the account.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Blob container the Flex Consumption app package is deployed to.')
param deploymentContainerName string

@description('Days after upload that an attachment never attached to feedback or a message, and a leftover claim-check blob, are deleted.')
@minValue(1)
param staleBlobRetentionDays int

// StorageNames.Containers
var appContainers = [
  'attachments'
  'submissions'
  'feedbackdata'
]

// StorageNames.Queues (poison and dead-letter queues included)
var appQueues = [
  'submissions'
  'submissions-poison'
  'webhooks'
  'webhooks-poison'
  'webhooks-dead'
  'webhook-outbox'
  'webhook-outbox-poison'
  'mail'
  'mail-poison'
  'signin'
  'signin-poison'
]

// StorageNames.Tables
var appTables = [
  'workspaces'
  'members'
  'apikeys'
  'widgets'
  'projectkeys'
  'idempotency'
  'feedback'
  'counters'
  'webhooks'
  'webhookdeliveries'
  'responses'
  'responselimits'
  'surveys'
  'announcements'
  'conversations'
  'ratelimits'
  'mail'
]

// Uploads are written with the blob index tag attached=false (AttachmentStore.AttachedTag);
// enrichment, and the messenger when a visitor sends one, set it to true before anything
// refers to the blob. Setting a tag does not change the blob's last-modified time, so
// "modified more than N days ago and still attached=false" is "uploaded N days ago and never used".
var lifecycleRules = [
  {
    enabled: true
    name: 'delete-unattached-uploads'
    type: 'Lifecycle'
    definition: {
      filters: {
        blobTypes: [
          'blockBlob'
        ]
        prefixMatch: [
          'attachments/'
        ]
        blobIndexMatch: [
          {
            name: 'attached'
            op: '=='
            value: 'false'
          }
        ]
      }
      actions: {
        baseBlob: {
          delete: {
            daysAfterModificationGreaterThan: staleBlobRetentionDays
          }
        }
      }
    }
  }
  {
    // A claim check is deleted once its submission is enriched; one still here after N days
    // belongs to a message that went to submissions-poison.
    enabled: true
    name: 'delete-stale-claim-checks'
    type: 'Lifecycle'
    definition: {
      filters: {
        blobTypes: [
          'blockBlob'
        ]
        prefixMatch: [
          'submissions/'
        ]
      }
      actions: {
        baseBlob: {
          delete: {
            daysAfterModificationGreaterThan: staleBlobRetentionDays
          }
        }
      }
    }
  }
]

module account '../core/storage/storage-account.bicep' = {
  name: 'storage-account'
  params: {
    name: name
    location: location
    tags: tags
    containers: concat(appContainers, [deploymentContainerName])
    queues: appQueues
    tables: appTables
    lifecycleRules: lifecycleRules
  }
}

output name string = account.outputs.name
output blobEndpoint string = account.outputs.blobEndpoint
output queueEndpoint string = account.outputs.queueEndpoint
output tableEndpoint string = account.outputs.tableEndpoint
