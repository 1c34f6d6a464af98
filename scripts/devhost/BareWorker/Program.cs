using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// The functions report what they received to queues the tests read; the host gives the worker
// its storage account as the AzureWebJobsStorage app setting.
builder.Services.AddSingleton(_ => new QueueServiceClient(
    Environment.GetEnvironmentVariable("AzureWebJobsStorage")
    ?? throw new InvalidOperationException("The app setting AzureWebJobsStorage is missing.")));
builder.Build().Run();
