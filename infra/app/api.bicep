// The Trackelio function app on Flex Consumption: the app runs as a .NET isolated worker
// (runtime dotnet-isolated 10.0; the platform provides .NET 10 and starts the worker as
// worker.config.json says), pulls its package from a blob container with the user-assigned
// identity, and reaches storage, Application Insights and Key Vault with that identity only.
// The app answers CORS itself, per widget: platform CORS stays empty.

@description('Name of the function app (also its host name, <name>.azurewebsites.net).')
param name string

@description('Azure region of the app.')
param location string

@description('Tags applied to the app.')
param tags object

@description('Resource id of the Flex Consumption plan.')
param planId string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (AzureWebJobsStorage__clientId, Application Insights authentication).')
param identityClientId string

@description('Name of the storage account (AzureWebJobsStorage and the deployment container).')
param storageAccountName string

@description('Blob container the app package is deployed to.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Versionless Key Vault URI of the link-signing secret.')
param linkSigningKeySecretUri string

@description('Host name of the SMTP relay; empty turns e-mail off.')
param smtpHost string

@description('Port of the SMTP relay.')
@minValue(1)
@maxValue(65535)
param smtpPort int

@description('How the connection to the relay is secured.')
@allowed([
  'None'
  'StartTls'
  'SslOnConnect'
])
param smtpSecurity string

@description('User name the app signs in to the relay with; empty for none.')
param smtpUserName string

@description('Versionless Key Vault URI of the SMTP password secret; referred to only when e-mail is on and signs in.')
param smtpPasswordSecretUri string

@description('Sender of every mail.')
param emailFrom string

@description('Where links in mails point; empty for https://<default host name>/app.')
param emailAppUrl string

@description('Hour of the day (UTC) the daily digest is sent.')
@minValue(0)
@maxValue(23)
param emailDigestHourUtc int

@description('Memory of each instance, in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int

@description('The most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// E-mail signs in to the relay only when it is on and has a user name: only then is the password
// set, and only as a Key Vault reference (a relay that takes mail without signing in needs none).
var emailSignsIn = !empty(smtpHost) && !empty(smtpUserName)
var smtpPasswordSetting = emailSignsIn ? {
  Trackelio__Email__Password: '@Microsoft.KeyVault(SecretUri=${smtpPasswordSecretUri})'
} : {}

// Links in mails lead to the dashboard this app serves, unless told otherwise.
var appUrl = empty(emailAppUrl) ? 'https://${functionApp.properties.defaultHostName}/app' : emailAppUrl

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: {
        allowedOrigins: []
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // '10.0', not '10': the form Flex Consumption accepts for dotnet-isolated.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // Everything the host and the worker read at start (the worker inherits the host's environment).
  // Flex Consumption sets the runtime from functionAppConfig: no FUNCTIONS_WORKER_RUNTIME,
  // FUNCTIONS_EXTENSION_VERSION or WEBSITE_RUN_FROM_PACKAGE. The settings below are set on every
  // deployment; the SMTP password is added when e-mail signs in (the set replaces the old one, so
  // turning e-mail off removes it).
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union({
      // One identity-based connection for the host and the worker: the host's queue triggers
      // (no Connection set, so AzureWebJobsStorage: __queueServiceUri), its blobs (timer-trigger
      // schedule monitor, locks: __blobServiceUri), and the app's own tables, blobs and queues
      // (Storage/StorageSettings.cs reads the same three URIs with __credential and __clientId).
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table

      // Telemetry of the host and the worker (host.json telemetryMode OpenTelemetry; the worker
      // exports when the connection string is set, Hosting/Telemetry.cs). Application Insights
      // takes Entra ID telemetry only: the authentication string names the identity.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

      // Shared by every instance, so a download link made on one works on all (issue 15).
      Trackelio__LinkSigningKey: '@Microsoft.KeyVault(SecretUri=${linkSigningKeySecretUri})'

      // Outgoing e-mail over SMTP to the team's relay; an empty host turns it off (email_status
      // "disabled"). Numbers are strings here, as every app setting is.
      Trackelio__Email__SmtpHost: smtpHost
      Trackelio__Email__SmtpPort: string(smtpPort)
      Trackelio__Email__Security: smtpSecurity
      Trackelio__Email__UserName: smtpUserName
      Trackelio__Email__From: emailFrom
      Trackelio__Email__AppUrl: appUrl
      // Where the API answers (the one-click unsubscribe link): this app, whatever host the dashboard has.
      Trackelio__Email__ApiUrl: 'https://${functionApp.properties.defaultHostName}'
      Trackelio__Email__DigestHourUtc: string(emailDigestHourUtc)
    }, smtpPasswordSetting)
  }

  // No FTP or basic-auth (SCM) publishing: deployments authenticate with Entra ID.
  resource ftpPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
