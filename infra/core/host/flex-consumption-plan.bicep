// An Azure Functions Flex Consumption plan (FC1, Linux). One function app per plan.

@description('Name of the plan.')
param name string

@description('Azure region of the plan.')
param location string

@description('Tags applied to the plan.')
param tags object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

output id string = plan.id
output name string = plan.name
