// Trackelio on Azure Functions Flex Consumption. Deploy into an existing resource group:
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json -p environmentName=<env>
// then deploy publish/trackelio-functions.zip (see docs/deploy.md).
targetScope = 'resourceGroup'

@description('Name of the environment (e.g. prod, staging); seeds the hashed resource names and tags every resource.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region of every resource; must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Memory of each function app instance, in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('The most instances the function app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Days after which an upload never attached to feedback or a message, and a leftover claim-check blob, are deleted.')
@minValue(1)
param staleBlobRetentionDays int = 7

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Object id of the user (or service principal) that runs the app bootstrap command against the new storage; gets Blob, Queue and Table Data Contributor. Empty for none.')
param deployerPrincipalId string = ''

@description('Type of deployerPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param deployerPrincipalType string = 'User'

@description('Host name of the SMTP relay the app sends e-mail through (smtp.azurecomm.net for Azure Communication Services, smtp.sendgrid.net, a company relay). Empty turns e-mail off: the app reports email_status "disabled".')
param smtpHost string = ''

@description('Port of the SMTP relay: 587 for submission with STARTTLS, 465 for TLS from the start, 25 for a plain relay.')
@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@description('How the connection to the relay is secured: StartTls (upgrade after connecting, usually port 587), SslOnConnect (TLS from the start, usually port 465) or None (an unencrypted relay inside your network only).')
@allowed([
  'None'
  'StartTls'
  'SslOnConnect'
])
param smtpSecurity string = 'StartTls'

@description('User name the app signs in to the relay with (Azure Communication Services: the SMTP username; SendGrid: apikey). Empty for a relay that takes mail without signing in; then no password is set.')
param smtpUserName string = ''

@description('Password for smtpUserName (Azure Communication Services: the Entra application\'s client secret; SendGrid: the API key). Stored in Key Vault as the secret trackelio-smtp-password when not empty, and the app reads it through a Key Vault reference; empty keeps the stored secret. Pass it on the command line from an environment variable, never in a file.')
@secure()
param smtpPassword string

@description('Sender of every mail, an address the relay may send from (e.g. Trackelio <DoNotReply@<guid>.azurecomm.net>).')
param emailFrom string = ''

@description('Where links in mails point (the team\'s dashboard). Empty for https://<function app default host name>/app.')
param emailAppUrl string = ''

@description('Hour of the day (UTC, 0-23) the daily digest is sent.')
@minValue(0)
@maxValue(23)
param emailDigestHourUtc int = 7

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'trackelio'
}
var names = {
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  identity: 'id-trackelio-${resourceToken}'
  storage: 'st${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-trackelio-${resourceToken}'
  deploymentContainer: 'app-package-${resourceToken}'
  linkSigningKeySecret: 'trackelio-link-signing-key'
  smtpPasswordSecret: 'trackelio-smtp-password'
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: names.deploymentContainer
    staleBlobRetentionDays: staleBlobRetentionDays
  }
}

module keyVault 'core/security/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
  }
}

module linkSigningKey 'app/link-signing-key.bicep' = {
  name: 'link-signing-key'
  params: {
    keyVaultName: keyVault.outputs.name
    storageAccountName: storage.outputs.name
    secretName: names.linkSigningKeySecret
  }
}

// Written only when a password is passed: a deployment without one (mail off, or a redeploy)
// leaves the stored secret as it is.
module smtpPasswordSecret 'app/smtp-password.bicep' = if (!empty(smtpPassword)) {
  name: 'smtp-password'
  params: {
    keyVaultName: keyVault.outputs.name
    secretName: names.smtpPasswordSecret
    password: smtpPassword
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
}

module plan 'core/host/flex-consumption-plan.bicep' = {
  name: 'plan'
  params: {
    name: names.plan
    location: location
    tags: tags
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  // The identity must hold its roles before the host first reads storage and Key Vault, and
  // the SMTP password must be stored before the app setting that refers to it.
  dependsOn: [
    rbac
    smtpPasswordSecret
  ]
  params: {
    name: names.functionApp
    location: location
    tags: tags
    planId: plan.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: names.deploymentContainer
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    linkSigningKeySecretUri: linkSigningKey.outputs.secretUri
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpSecurity: smtpSecurity
    smtpUserName: smtpUserName
    smtpPasswordSecretUri: '${keyVault.outputs.uri}secrets/${names.smtpPasswordSecret}'
    emailFrom: emailFrom
    emailAppUrl: emailAppUrl
    emailDigestHourUtc: emailDigestHourUtc
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}

@description('Base URL of both APIs (widget and management); the widget snippet points here.')
output apiBaseUrl string = 'https://${api.outputs.defaultHostName}'

@description('Name of the function app (zip deploy target).')
output functionAppName string = api.outputs.name

@description('Name of the storage account (bootstrap: AzureWebJobsStorage__accountName).')
output storageAccountName string = storage.outputs.name

@description('Name of the Key Vault holding the link-signing key and, when given, the SMTP relay\'s credential.')
output keyVaultName string = keyVault.outputs.name

@description('Name of the Application Insights component.')
output applicationInsightsName string = monitoring.outputs.applicationInsightsName

@description('Name of the Log Analytics workspace.')
output logAnalyticsName string = monitoring.outputs.logAnalyticsName

@description('Name of the user-assigned identity the app runs as.')
output identityName string = identity.outputs.name

@description('Name of the Flex Consumption plan.')
output planName string = plan.outputs.name
