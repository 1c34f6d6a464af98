using Microsoft.Extensions.Caching.Memory;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Surveys;

/// <summary>A workspace's surveys, in table <c>surveys</c> (partition = workspace).</summary>
public sealed class SurveyStore(StorageAccount account, IMemoryCache cache)
    : WorkspaceDocuments<Survey>(account.GetTableClient(StorageNames.Tables.Surveys), s => s.Id, s => s.WorkspaceId, cache);

/// <summary>Surveys: their store and their results.</summary>
public static class SurveysModule
{
    public static IServiceCollection AddSurveys(this IServiceCollection services) =>
        services.AddSingleton<SurveyStore>().AddSingleton<SurveyResultsReader>();
}
