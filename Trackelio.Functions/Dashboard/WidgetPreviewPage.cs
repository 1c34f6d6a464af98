using System.Text;
using Trackelio.Functions.Widget.Script;

namespace Trackelio.Functions.Dashboard;

/// <summary>
/// <c>/app/widget-preview</c>: the page the dashboard frames to show a widget's unsaved settings with the real widget.
/// It loads the served <c>trackelio.js</c> in preview mode (<c>data-preview</c>, no project key), which takes its
/// config from the framing page by <c>postMessage</c> (same origin only) and calls no API, so a preview needs no allowed
/// origin and no origin check is loosened. Its own policy: this origin's script only, no connection at all, and framed
/// by this origin only (<c>frame-ancestors 'self'</c>, <c>X-Frame-Options: SAMEORIGIN</c>).
/// </summary>
public static class WidgetPreviewPage
{
    public const string Path = "widget-preview";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'none'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    // The script's version in its address: a new build's widget reaches the preview at once, whatever the day-long cache of the old one.
    private static readonly Lazy<DashboardFile> Page = new(() => DashboardFiles.From(Encoding.UTF8.GetBytes($"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta name="robots" content="noindex">
          <title>Widget preview</title>
        </head>
        <body>
          <script src="{WidgetScriptEndpoint.Route}?v={WidgetScriptEndpoint.Version}" data-preview></script>
        </body>
        </html>
        """), "text/html; charset=utf-8"));

    public static DashboardFile File => Page.Value;
}
