using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Workspace;

/// <summary><c>PATCH /v1/workspace</c>: its <c>name</c> and <c>language</c> (of its mails: <c>en</c> or <c>de</c>).</summary>
public sealed record UpdateWorkspaceRequest : IJsonRequest<UpdateWorkspaceRequest>
{
    public static long MaxBytes => 4 * 1024;

    public string? Name { get; init; }
    public string? Language { get; init; }

    public static ValueTask<UpdateWorkspaceRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var name = fields.String(body, "name", "name", 200);
        if (name is { Length: 0 })
        {
            fields.Fail("name", "must not be empty");
        }
        var language = fields.String(body, "language", "language", 8);
        if (language is not null && !WorkspaceLanguages.All.Contains(language))
        {
            fields.Fail("language", "must be one of " + string.Join(", ", WorkspaceLanguages.All));
        }
        if (name is null && language is null && !fields.HasErrors)
        {
            fields.Fail("body", "must change name or language");
        }
        return ValueTask.FromResult<UpdateWorkspaceRequest?>(new UpdateWorkspaceRequest { Name = name, Language = language });
    }
}
