// A bare ASP.NET Core app: the host probe and a fixed widget config, nothing else.
var builder = WebApplication.CreateBuilder(args);
var port = builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"];
if (!string.IsNullOrEmpty(port))
{
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
}

var app = builder.Build();
app.MapGet("/", () => Results.Json(new { status = "ok" }));
app.MapGet("/v1/widget/config", (string? key) => Results.Json(new { data = new { widget_id = "wdg_bare", key } }));
app.Run();
