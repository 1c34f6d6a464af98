// Trackelio__Email__Password: the SMTP relay's password (for Azure Communication Services, the
// client secret of the Entra application behind the SMTP user name). It is passed to the
// deployment as a @secure() parameter and kept only here, in Key Vault; the app setting is a Key
// Vault reference, so the value is in no default, output or app setting. main.bicep deploys this
// module only when a password is passed: a deployment without one keeps the stored secret, which
// an operator may also set or rotate directly (az keyvault secret set).

@description('Name of the Key Vault (RBAC) that holds the secret.')
param keyVaultName string

@description('Name of the Key Vault secret.')
param secretName string

@description('The SMTP password to store; never has a default.')
@secure()
param password string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource smtpPassword 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretName
  properties: {
    contentType: 'SMTP password for Trackelio__Email__Password'
    value: password
  }
}
