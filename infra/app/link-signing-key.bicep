// Trackelio__LinkSigningKey: the HMAC key that signs attachment download links, the same on
// every instance (issue 15). It is generated at deployment time and kept in Key Vault; the app
// setting is a Key Vault reference, so the value is in no parameter, output or app setting.
//
// Bicep has no random function outside parameter defaults, so the key is derived from the
// storage account's key1 (512 random bits made by Azure, unused for data access because the
// account refuses Shared Key): two name-based GUIDs (SHA-1) over it with fixed labels, 244 bits,
// base64-encoded as the app expects. Redeploying keeps it; rotating key1
// (az storage account keys renew --key primary) and redeploying rotates it, which only
// invalidates links younger than their 15 minutes.

@description('Name of the Key Vault (RBAC) that holds the secret.')
param keyVaultName string

@description('Name of the storage account whose key1 seeds the secret.')
param storageAccountName string

@description('Name of the Key Vault secret.')
param secretName string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource linkSigningKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretName
  properties: {
    contentType: 'base64 HMAC-SHA256 key for attachment download links'
    value: base64('${guid(storage.listKeys().keys[0].value, 'trackelio-link-signing-key-1')}${guid(storage.listKeys().keys[0].value, 'trackelio-link-signing-key-2')}')
  }
}

// The versionless URI: the app service resolves the current version.
output secretUri string = linkSigningKey.properties.secretUri
